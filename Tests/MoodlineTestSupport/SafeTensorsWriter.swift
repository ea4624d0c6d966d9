import Foundation
import MoodlineNN

/// Writes tensors as a safetensors file (F32), for tests that need weights files the repository does not ship.
public enum SafeTensorsWriter {
    /// The file's bytes: the JSON header (with `metadata` as `__metadata__`) and the little-endian data.
    public static func bytes(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        var header: [String: Any] = metadata.isEmpty ? [:] : ["__metadata__": metadata]
        var data: [UInt8] = []
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let start = data.count
            for value in tensor.data { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [start, data.count]]
        }
        let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        var length = UInt64(json.count).littleEndian
        return withUnsafeBytes(of: &length) { Array($0) } + [UInt8](json) + data
    }
}
