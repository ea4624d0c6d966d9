import Foundation

/// Little-endian fields appended to a byte buffer: what `ReadingsRecord` is written with.
struct BinaryFieldWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) { withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 } }
    mutating func double(_ value: Double) { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
    mutating func float(_ value: Float) { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes += value.utf8
    }

    mutating func raw(_ value: [UInt8]) {
        int(value.count)
        bytes += value
    }

    /// A presence byte, then the value when there is one.
    mutating func optional<T>(_ value: T?, _ write: (inout BinaryFieldWriter, T) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }
}

/// Reads what `BinaryFieldWriter` wrote, checking every length against what is left: a damaged or crafted file
/// throws `BinaryFieldError`, never reads past its end or allocates more than it holds.
struct BinaryFieldReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw BinaryFieldError.endsEarly }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    private mutating func uint64() throws -> UInt64 {
        try take(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    mutating func int() throws -> Int { Int(Int64(bitPattern: try uint64())) }

    /// A count of things each at least `minimumBytes` long: never more than the bytes left could hold.
    mutating func count(minimumBytes: Int = 1) throws -> Int {
        let value = try int()
        guard value >= 0, value <= (bytes.count - offset) / max(1, minimumBytes) else {
            throw BinaryFieldError.badCount(value)
        }
        return value
    }

    mutating func double() throws -> Double { Double(bitPattern: try uint64()) }

    mutating func float() throws -> Float {
        Float(bitPattern: try take(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    mutating func bool() throws -> Bool {
        switch try take(1).first! {
        case 0: return false
        case 1: return true
        case let other: throw BinaryFieldError.badValue("a flag of \(other)")
        }
    }

    mutating func string() throws -> String { String(decoding: try take(try count()), as: UTF8.self) }

    mutating func raw() throws -> [UInt8] { Array(try take(try count())) }

    mutating func optional<T>(_ read: (inout BinaryFieldReader) throws -> T) throws -> T? {
        try bool() ? try read(&self) : nil
    }
}

/// Why a record could not be read.
enum BinaryFieldError: Error, CustomStringConvertible {
    case endsEarly
    case badCount(Int)
    case badValue(String)

    var description: String {
        switch self {
        case .endsEarly: "it ends early"
        case .badCount(let count): "it holds an impossible count (\(count))"
        case .badValue(let what): "it holds \(what)"
        }
    }
}
