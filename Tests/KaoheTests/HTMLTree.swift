import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A report page parsed as XML (kaohe writes well-formed XHTML-compatible HTML), for tests that look at
/// its structure: elements by name and class, their attributes and text.
final class HTMLTree {
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""
        weak var parent: Node?

        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }

        /// All text below this node, in document order.
        var allText: String { text + children.map(\.allText).joined() }

        /// This node and every node below it, in document order.
        var descendants: [Node] { [self] + children.flatMap(\.descendants) }

        func all(_ name: String, class cls: String? = nil) -> [Node] {
            descendants.filter { $0.name == name && (cls == nil || $0.classes.contains(cls!)) }
        }
    }

    let root: Node

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    init(_ html: String) throws {
        // the doctype is HTML's, not XML's: drop it
        let body = html.hasPrefix("<!DOCTYPE html>") ? String(html.dropFirst("<!DOCTYPE html>".count)) : html
        let parser = XMLParser(data: Data(body.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(description: "not well-formed at line \(parser.lineNumber), column \(parser.columnNumber): "
                + "\(parser.parserError.map { "\($0)" } ?? "no root")")
        }
        self.root = root
    }

    func all(_ name: String, class cls: String? = nil) -> [Node] { root.all(name, class: cls) }

    /// Every `id` in the page.
    var ids: [String] { root.descendants.compactMap { $0.attributes["id"] } }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Node?
        var current: Node?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = Node(name: name, attributes: attributes)
            node.parent = current
            if let current { current.children.append(node) } else { root = node }
            current = node
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            current = current?.parent
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            // text after a child element is kept in a text node, so document order is preserved
            guard let current else { return }
            if !current.children.isEmpty {
                let t = Node(name: "#text", attributes: [:])
                t.text = string
                t.parent = current
                current.children.append(t)
            } else {
                current.text += string
            }
        }
    }
}
