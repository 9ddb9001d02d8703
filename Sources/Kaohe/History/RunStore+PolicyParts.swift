import Foundation
import GRDB

/// What a run keeps of its policy beside the units (schema v3): the groups, the bands with their labels and
/// `from`, the vetoes, and which vetoes barred each unit. Runs saved before v3 have none of these rows.
extension RunStore {
    /// Writes the run's groups, bands and vetoes; returns each veto's position by id (for `unit_veto`).
    static func savePolicyParts(_ run: RunRecord, runID: Int64, _ db: Database) throws -> [String: Int] {
        if let groups = run.groups {
            for (k, (id, label)) in zip(groups.order, groups.labels).enumerated() {
                try db.execute(sql: "INSERT INTO run_group (run_id, position, id, label) VALUES (?, ?, ?, ?)",
                               arguments: [runID, k, id, label])
            }
        }
        for (k, band) in run.bands.enumerated() {
            try db.execute(sql: "INSERT INTO run_band (run_id, position, id, label, origin, meaning) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [runID, k, band.id, band.label, band.from?.rawValue, band.meaning])
        }
        var positions: [String: Int] = [:]
        for (k, veto) in run.vetoes.enumerated() {
            try db.execute(sql: "INSERT INTO run_veto (run_id, position, id, citation, title) VALUES (?, ?, ?, ?, ?)",
                           arguments: [runID, k, veto.id, veto.citation, veto.title])
            positions[veto.id] = k
        }
        return positions
    }

    /// Reads the run's groups (given `groups_by`), bands and vetoes into `run`.
    func loadPolicyParts(_ run: inout RunRecord, groupsBy: String?, _ db: Database) throws {
        guard let id = run.id else { return }
        let groups = try Row.fetchAll(db, sql: "SELECT id, label FROM run_group WHERE run_id = ? ORDER BY position", arguments: [id])
        switch (groupsBy, groups.isEmpty) {
        case (let by?, false):
            run.groups = Policy.Groups(by: by, order: try groups.map { try $0.decode(atIndex: 0) },
                                       labels: try groups.map { try $0.decode(atIndex: 1) })
        case (nil, true): run.groups = nil
        case (_?, true): throw HistoryError.corrupt(path: path, detail: "run \(id) ranks within groups but lists none")
        case (nil, false): throw HistoryError.corrupt(path: path, detail: "run \(id) lists groups but does not rank within them")
        }
        let bands = try Row.fetchAll(db, sql: """
            SELECT id, label, origin, meaning FROM run_band WHERE run_id = ? ORDER BY position
            """, arguments: [id])
        run.bands = try bands.map { b in
            let origin: String? = try b.decode(atIndex: 2)
            let from = origin.flatMap(Policy.Band.Origin.init(rawValue:))
            if let origin, from == nil {
                throw HistoryError.corrupt(path: path, detail: "run \(id): unknown band origin \(JSONWriter.quote(origin))")
            }
            return BandRecord(id: try b.decode(atIndex: 0), label: try b.decode(atIndex: 1), from: from,
                              meaning: try b.decode(atIndex: 3))
        }
        run.vetoes = try Row.fetchAll(db, sql: """
            SELECT id, citation, title FROM run_veto WHERE run_id = ? ORDER BY position
            """, arguments: [id]).map { v in
            VetoRecord(id: try v.decode(atIndex: 0), citation: try v.decode(atIndex: 1), title: try v.decode(atIndex: 2))
        }
    }

    /// Reads which vetoes barred each unit; `index` maps a unit_result id to its place in `run.units`.
    func loadVetoHits(_ run: inout RunRecord, index: [Int64: Int], _ db: Database) throws {
        guard let id = run.id else { return }
        let positions = try Row.fetchAll(db, sql: "SELECT position FROM run_veto WHERE run_id = ? ORDER BY position",
                                         arguments: [id]).map { try $0.decode(atIndex: 0) as Int }
        let byPosition = Dictionary(uniqueKeysWithValues: zip(positions, run.vetoes))
        let hits = try Row.fetchCursor(db, sql: """
            SELECT v.unit_result_id, v.position, v.note
            FROM unit_veto v JOIN unit_result u ON u.id = v.unit_result_id
            WHERE u.run_id = ? ORDER BY u.position, v.position
            """, arguments: [id])
        while let h = try hits.next() {
            guard let u = index[try h.decode(atIndex: 0)] else { continue }
            let position: Int = try h.decode(atIndex: 1)
            guard let veto = byPosition[position] else {
                throw HistoryError.corrupt(path: path, detail: "run \(id): unit \(run.units[u].unit) is vetoed by veto \(position), which the run does not list")
            }
            run.units[u].vetoes.append(VetoRecord.Hit(veto: veto, note: try h.decode(atIndex: 2)))
        }
    }
}
