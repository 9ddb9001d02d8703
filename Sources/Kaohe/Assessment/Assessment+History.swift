extension Assessment {
    /// Earlier years' results, for the policy's history bands (e.g. `bottom20-twice`, 第十七条): a unit gets
    /// one when it has the repeated band this year and had it in each of the previous `years - 1` years.
    public struct History: Sendable {
        /// A stored run's bands by unit id for a jurisdiction and year, or nil when that year has no stored
        /// run (then no unit gets the band).
        let bands: @Sendable (_ jurisdiction: String, _ year: Int) throws -> [String: [String]]?

        public init(bandsInYear: @escaping @Sendable (_ jurisdiction: String, _ year: Int) throws -> [String: [String]]?) {
            bands = bandsInYear
        }

        /// The runs saved in `store`.
        public init(store: RunStore) {
            bands = { jurisdiction, year in
                try store.previousYearRun(jurisdiction: jurisdiction, year: year + 1, items: false).map { run in
                    Dictionary(run.units.map { ($0.unit, $0.bands) }, uniquingKeysWith: { a, _ in a })
                }
            }
        }
    }
}
