/// Collects diagnostics up to a limit, counting the rest.
struct DiagnosticSink {
    var limit: Int
    var diagnostics: [Diagnostic] = []
    var omitted = 0

    init(limit: Int = 50) { self.limit = limit }

    var isEmpty: Bool { diagnostics.isEmpty && omitted == 0 }

    mutating func add(_ d: Diagnostic) {
        if diagnostics.count < limit { diagnostics.append(d) } else { omitted += 1 }
    }

    mutating func merge(_ other: DiagnosticSink) {
        for d in other.diagnostics { add(d) }
        omitted += other.omitted
    }

    func check() throws {
        if !isEmpty { throw DataError(diagnostics: diagnostics, omitted: omitted) }
    }
}
