import Foundation
import Kaohe

// The xlsx reader (zip, XML, cells) on arbitrary bytes: every input reads or gives a DataError. Seeds:
// workbooks kaohe writes (scripts/fuzz makes them), so the fuzzer starts from valid zips.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    do {
        _ = try XLSXDocument(bytes: bytes, file: "fuzz.xlsx")
    } catch is DataError {
    } catch {
        fatalError("not a DataError: \(error)")
    }
    return 0
}
