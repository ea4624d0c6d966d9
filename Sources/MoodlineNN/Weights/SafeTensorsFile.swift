import Foundation

/// A safetensors file read into memory and fully validated on opening.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON (`name -> {dtype, shape, data_offsets}` and an
/// optional `__metadata__` of strings), then the data section. Every tensor's range is checked against the data
/// section and against its shape and dtype before any is used; nothing malformed is skipped.
public struct SafeTensorsFile: Sendable {
    /// A tensor's place in the file.
    public struct Entry: Sendable, Equatable {
        public let dtype: DType
        public let shape: [Int]
        /// Byte range within the data section.
        public let range: Range<Int>
    }

    /// Element types this reader converts to float32.
    public enum DType: String, Sendable {
        case f32 = "F32"
        case f16 = "F16"

        var size: Int { self == .f32 ? 4 : 2 }
    }

    /// The file's name, used in every error.
    public let name: String
    /// The header's `__metadata__` strings.
    public let metadata: [String: String]
    /// Tensors by name.
    public let entries: [String: Entry]
    private let bytes: [UInt8]
    private let dataStart: Int

    /// The largest header accepted; real headers are kilobytes.
    static let maximumHeaderBytes = 100 << 20

    /// Reads and validates the file at `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WeightError.unreadable(file: path, reason: "no such file, or it cannot be read")
        }
        try self.init(bytes: [UInt8](data), name: path)
    }

    /// Validates an in-memory safetensors image; `name` appears in errors.
    public init(bytes: [UInt8], name: String) throws {
        self.name = name
        self.bytes = bytes
        guard bytes.count >= 8 else {
            throw WeightError.truncated(
                file: name, detail: "\(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard headerLength <= UInt64(Self.maximumHeaderBytes) else {
            throw WeightError.malformedHeader(file: name, detail: "header length \(headerLength) is implausibly large")
        }
        guard 8 + Int(headerLength) <= bytes.count else {
            throw WeightError.truncated(
                file: name, detail: "header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
        }
        dataStart = 8 + Int(headerLength)
        let dataSize = bytes.count - dataStart

        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        } catch {
            throw WeightError.malformedHeader(file: name, detail: "header is not JSON")
        }
        guard let header = json as? [String: Any] else {
            throw WeightError.malformedHeader(file: name, detail: "header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        for (key, value) in header {
            if key == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw WeightError.malformedHeader(file: name, detail: "__metadata__ must map strings to strings")
                }
                metadata = strings
                continue
            }
            entries[key] = try Self.entry(key, value, file: name, dataSize: dataSize)
        }
        self.metadata = metadata
        self.entries = entries
    }

    private static func entry(_ key: String, _ value: Any, file: String, dataSize: Int) throws -> Entry {
        guard let fields = value as? [String: Any],
            let dtypeName = fields["dtype"] as? String,
            let shapeValues = fields["shape"] as? [Any],
            let offsetValues = fields["data_offsets"] as? [Any]
        else {
            throw WeightError.malformedHeader(file: file, detail: "tensor '\(key)' needs dtype, shape and data_offsets")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw WeightError.unknownDType(file: file, tensor: key, dtype: dtypeName)
        }
        let shape = shapeValues.compactMap { ($0 as? NSNumber)?.intValue }
        let offsets = offsetValues.compactMap { ($0 as? NSNumber)?.intValue }
        guard shape.count == shapeValues.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw WeightError.malformedHeader(file: file, detail: "tensor '\(key)' has a bad shape \(shapeValues)")
        }
        guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw WeightError.offsetOutOfRange(
                file: file, tensor: key, detail: "data_offsets \(offsetValues) are not [begin, end]")
        }
        guard offsets[1] <= dataSize else {
            throw WeightError.offsetOutOfRange(
                file: file, tensor: key,
                detail: "ends at byte \(offsets[1]) of a \(dataSize)-byte data section")
        }
        let (elements, overflow) = shape.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d)
            return (p, acc.1 || o)
        }
        guard !overflow, offsets[1] - offsets[0] == elements * dtype.size else {
            throw WeightError.offsetOutOfRange(
                file: file, tensor: key,
                detail: "\(offsets[1] - offsets[0]) bytes for shape \(shape) of \(dtype.rawValue)")
        }
        return Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
    }

    /// The named tensor as float32 values.
    ///
    /// - Throws: `WeightError.missingTensor` when there is none by that name.
    public func tensor(named tensorName: String) throws -> Tensor {
        guard let entry = entries[tensorName] else {
            throw WeightError.missingTensor(file: name, tensor: tensorName)
        }
        let count = entry.shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart + entry.range.lowerBound
            for i in 0..<count {
                switch entry.dtype {
                case .f32:
                    values[i] = Float(
                        bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case .f16:
                    values[i] = Float(
                        float16Bits: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            }
        }
        return Tensor(shape: entry.shape, data: values)
    }
}

extension Float {
    /// The value of an IEEE 754 half-precision bit pattern (done by hand: Float16 is not on every platform).
    init(float16Bits bits: UInt16) {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            self = sign == 0 ? magnitude : -magnitude
        } else if exponent == 31 {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        } else {
            self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
