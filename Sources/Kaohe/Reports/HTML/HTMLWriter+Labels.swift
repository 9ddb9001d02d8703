import Foundation

extension HTMLWriter {
    /// A band as a coloured chip showing `text` (default: its label); `left` strikes it through (a band the
    /// unit left).
    mutating func bandChip(_ band: Policy.Band, text: String? = nil, left: Bool = false) {
        element("span", [("class", "band \(BandKind(band).cssClass)\(left ? " left" : "")"), ("data-band", band.id)],
                text: text ?? band.label)
    }

    /// A table cell with points, coloured by sign.
    mutating func pointsCell(_ p: Points, signed: Bool = true) {
        let sign = p > .zero ? " plus" : p < .zero ? " minus" : ""
        element("td", [("class", "num" + sign)], text: signed ? p.signed : p.description)
    }

    /// A link to a unit's notice or row.
    mutating func unitLink(_ id: String, _ name: String) {
        element("a", [("href", "#" + HTMLWriter.anchor(unit: id))], text: name)
    }
}
