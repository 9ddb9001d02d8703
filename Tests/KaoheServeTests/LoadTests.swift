import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import KaoheServe

/// The loopback load test of issue 15: 200 what-ifs from 20 concurrent clients over a real socket, each with
/// its own edit, every one answered 200 with its own results (timings are `scripts/bench-workbench`'s).
@Suite struct LoadTests {
    @Test func twoHundredWhatIfsFromTwentyClients() async throws {
        let fixture = try WorkbenchFixture(slots: 2)
        let answered = try await fixture.test(.live) { live in
            let port = try #require(live.port)
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for c in 0..<20 {
                    group.addTask {
                        // a client of its own: one connection, and a read timeout long enough for a loaded machine
                        // (its 10 requests wait behind the others' for the two scoring slots)
                        try await TestClient.withClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(900))) { client in
                            var ok = 0
                            for k in 0..<10 {
                                let below = 100 + (c + k) % 25
                                let response = try await client.execute(.init("/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                                                              body: WorkbenchFixture.whatIf(params: ["study": ["tiers[2].below": below]])))
                                #expect(response.head.status == .ok, "\(response.head.status)")
                                #expect(response.head.headerFields[HTTPField.Name("Server-Timing")!]?.hasPrefix("whatif;dur=") == true)
                                try WhatIfTests.check(try WhatIfTests.object(Array((response.body ?? ByteBuffer()).readableBytesView)), below: below)
                                if response.head.status == .ok { ok += 1 }
                            }
                            return ok
                        }
                    }
                }
                var total = 0
                for try await n in group { total += n }
                return total
            }
        }
        #expect(answered == 200)
    }
}
