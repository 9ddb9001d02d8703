import Foundation
import ZIPFoundation

/// A minimal PNG decoder for tests: 8-bit gray, RGB or RGBA, non-interlaced.
///
/// Enough to tell whether a browser screenshot shows a page or is blank; not a general decoder
/// (no palettes, no 16-bit samples, no Adam7, no CRC checks).
struct PNGPixels {
    /// Why a file could not be decoded.
    struct DecodeError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = "PNG: " + description }
    }

    let width: Int
    let height: Int
    /// Samples per pixel: 1 (gray), 3 (RGB) or 4 (RGBA).
    let channels: Int
    /// Unfiltered samples, row after row, `channels` per pixel.
    let samples: [UInt8]

    /// Decodes the file at `path`.
    init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw DecodeError("cannot read \(path)") }
        try self.init(data: data)
    }

    /// Decodes a PNG held in memory.
    init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw DecodeError("not a PNG (bad signature)") }
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        var header: ArraySlice<UInt8>?
        var idat: [UInt8] = []
        var at = 8
        chunks: while at + 12 <= bytes.count {
            let length = be32(at), type = String(decoding: bytes[at + 4..<at + 8], as: UTF8.self)
            guard at + 12 + length <= bytes.count else { throw DecodeError("chunk \(type) at byte \(at) runs past the end") }
            let body = bytes[at + 8..<at + 8 + length]
            switch type {
            case "IHDR": header = body
            case "IDAT": idat += body
            case "IEND": break chunks
            default: break
            }
            at += 12 + length
        }
        guard let ihdr = header, ihdr.count == 13 else { throw DecodeError("missing or short IHDR chunk") }
        let h = Array(ihdr)
        width = h[0..<4].reduce(0) { $0 << 8 | Int($1) }
        height = h[4..<8].reduce(0) { $0 << 8 | Int($1) }
        guard h[8] == 8 else { throw DecodeError("bit depth \(h[8]) unsupported (only 8)") }
        switch h[9] {
        case 0: channels = 1
        case 2: channels = 3
        case 6: channels = 4
        default: throw DecodeError("colour type \(h[9]) unsupported (only 0 gray, 2 RGB, 6 RGBA)")
        }
        guard h[12] == 0 else { throw DecodeError("interlaced images unsupported") }
        guard width > 0, height > 0 else { throw DecodeError("empty image \(width)×\(height)") }
        guard idat.count > 2 else { throw DecodeError("no image data (IDAT)") }
        let stride = width * channels
        let raw = try Self.inflate(Data(idat.dropFirst(2)))  // skip the 2-byte zlib header: raw deflate follows
        guard raw.count >= height * (stride + 1) else {
            throw DecodeError("image data is \(raw.count) bytes, \(width)×\(height) needs \(height * (stride + 1))")
        }
        samples = try Self.unfilter(raw, rows: height, stride: stride, bpp: channels)
    }

    /// Inflates raw deflate data with ZIPFoundation. The chunks handed over are padded to the size asked for,
    /// since on Linux the inflater assumes full buffers; asking past the end means the stream was cut short.
    private static func inflate(_ input: Data) throws -> [UInt8] {
        var output: [UInt8] = []
        _ = try Data.decompress(size: Int64(input.count), bufferSize: 1 << 16, skipCRC32: true, provider: { position, size in
            let start = Int(position)
            guard start < input.count else { throw DecodeError("deflate stream ends early") }
            var chunk = input.subdata(in: start..<min(input.count, start + size))
            if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
            return chunk
        }, consumer: { output += $0 })
        return output
    }

    /// Undoes the per-row filters (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth).
    private static func unfilter(_ raw: [UInt8], rows: Int, stride: Int, bpp: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rows * stride)
        try out.withUnsafeMutableBufferPointer { px in
            for y in 0..<rows {
                let filter = raw[y * (stride + 1)], src = y * (stride + 1) + 1, row = y * stride
                for i in 0..<stride {
                    let a = i >= bpp ? Int(px[row + i - bpp]) : 0
                    let b = y > 0 ? Int(px[row + i - stride]) : 0
                    let c = i >= bpp && y > 0 ? Int(px[row + i - stride - bpp]) : 0
                    let predictor: Int
                    switch filter {
                    case 0: predictor = 0
                    case 1: predictor = a
                    case 2: predictor = b
                    case 3: predictor = (a + b) / 2
                    case 4:
                        let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                        predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                    default: throw DecodeError("unknown filter type \(filter) on row \(y)")
                    }
                    px[row + i] = UInt8(truncatingIfNeeded: Int(raw[src + i]) + predictor)
                }
            }
        }
        return out
    }

    /// The pixel at (x, y) as RGB, composited over white when it has alpha.
    func rgb(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = (y * width + x) * channels
        if channels == 1 { return (samples[i], samples[i], samples[i]) }
        guard channels == 4 else { return (samples[i], samples[i + 1], samples[i + 2]) }
        let alpha = Int(samples[i + 3])
        func over(_ v: UInt8) -> UInt8 { UInt8((Int(v) * alpha + 255 * (255 - alpha)) / 255) }
        return (over(samples[i]), over(samples[i + 1]), over(samples[i + 2]))
    }

    /// How many pixels have some channel more than `threshold` below white (255).
    func nonWhitePixels(threshold: Int = 16) -> Int {
        var count = 0
        for y in 0..<height {
            for x in 0..<width {
                let p = rgb(x: x, y: y)
                if 255 - Int(min(p.r, p.g, p.b)) > threshold { count += 1 }
            }
        }
        return count
    }

    /// The number of distinct RGB colours among every `step`-th pixel.
    func distinctColours(step: Int = 7) -> Int {
        var seen = Set<UInt32>()
        for index in Swift.stride(from: 0, to: width * height, by: max(1, step)) {
            let p = rgb(x: index % width, y: index / width)
            seen.insert(UInt32(p.r) << 16 | UInt32(p.g) << 8 | UInt32(p.b))
        }
        return seen.count
    }
}
