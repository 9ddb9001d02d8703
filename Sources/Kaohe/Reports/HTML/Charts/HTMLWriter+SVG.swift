import Foundation

extension HTMLWriter {
    /// An `<svg>` scaled to the page width, with a title for screen readers.
    mutating func svg(width: Double, height: Double, title: String, _ body: (inout HTMLWriter) -> Void) {
        element("svg", [("class", "chart"), ("xmlns", "http://www.w3.org/2000/svg"), ("role", "img"),
                        ("viewBox", "0 0 \(HTMLWriter.number(width)) \(HTMLWriter.number(height))"),
                        ("width", HTMLWriter.number(width)), ("height", HTMLWriter.number(height)),
                        ("font-size", "12")]) { w in
            w.element("title", text: title)
            body(&w)
        }
        newline()
    }

    /// A text; `tooltip` becomes its `<title>` (e.g. the whole of a name cut to fit).
    mutating func svgText(_ s: String, x: Double, y: Double, anchor: String = "start", cls: String? = nil,
                          size: Double? = nil, weight: String? = nil, tooltip: String? = nil) {
        var a: Attributes = [("x", HTMLWriter.number(x)), ("y", HTMLWriter.number(y))]
        if anchor != "start" { a.append(("text-anchor", anchor)) }
        if let cls { a.append(("class", cls)) }
        if let size { a.append(("font-size", HTMLWriter.number(size))) }
        if let weight { a.append(("font-weight", weight)) }
        if let tooltip {
            element("text", a) { w in
                w.element("title", text: tooltip)
                w.text(s)
            }
        } else {
            element("text", a, text: s)
        }
    }

    mutating func svgLine(x1: Double, y1: Double, x2: Double, y2: Double, cls: String) {
        empty("line", [("x1", HTMLWriter.number(x1)), ("y1", HTMLWriter.number(y1)),
                       ("x2", HTMLWriter.number(x2)), ("y2", HTMLWriter.number(y2)), ("class", cls)])
    }

    /// A rectangle; `tooltip` becomes its `<title>`.
    mutating func svgRect(x: Double, y: Double, width: Double, height: Double, cls: String? = nil, fill: String? = nil,
                          tooltip: String? = nil) {
        var a: Attributes = [("x", HTMLWriter.number(x)), ("y", HTMLWriter.number(y)),
                             ("width", HTMLWriter.number(Swift.max(width, 0))), ("height", HTMLWriter.number(height))]
        if let cls { a.append(("class", cls)) }
        if let fill { a.append(("fill", fill)) }
        if let tooltip {
            element("rect", a) { $0.element("title", text: tooltip) }
        } else {
            empty("rect", a)
        }
    }
}
