

extension Comparison {
    /// A band of either side, by id.
    func band(_ id: String) -> Policy.Band? {
        b.bands.first { $0.id == id } ?? a.bands.first { $0.id == id }
    }

    /// The units a per-unit chart draws: all of them, or, beyond `SVGChart.maxRows`, those that changed band
    /// and then the largest movers, kept in the comparison's order.
    var chartedUnits: [UnitChange] {
        guard units.count > SVGChart.maxRows else { return units }
        var keep = Set(units.filter { !$0.bandsEntered.isEmpty || !$0.bandsLeft.isEmpty }.map(\.unit).prefix(SVGChart.maxRows))
        for u in largestMovers(units.count) where keep.count < SVGChart.maxRows { keep.insert(u.unit) }
        return units.filter { keep.contains($0.unit) }
    }
}
