/// The two BlazeFace networks.
public enum BlazeFaceVariant: String, Sendable, Codable, CaseIterable {
    /// 192 px input, one 48x48 anchor grid: small and large faces (group photos, wide shots); misses most faces
    /// that fill the picture.
    case fullRange = "full_range"
    /// 128 px input, 16x16 and 8x8 grids: close-up faces within about 2 m; faster.
    case shortRange = "short_range"

    /// The weights' name in `Weights/MANIFEST.json`.
    public var weightsName: String { self == .fullRange ? "blazeface_full_range" : "blazeface_short_range" }

    /// Input side in pixels.
    public var inputSize: Int { self == .fullRange ? 192 : 128 }

    /// MediaPipe's SSD anchor settings for this model.
    var anchorLayers: [(stride: Int, anchorsPerCell: Int)] {
        // Short range: strides [8, 16, 16, 16]; layers with equal stride share one grid (2 + 6 anchors per cell).
        self == .fullRange ? [(4, 1)] : [(8, 2), (16, 6)]
    }

    /// Anchor centres in [0, 1] input coordinates, in the model's output order (row-major: y, x, repeat).
    public var anchors: [Point] {
        var result: [Point] = []
        for layer in anchorLayers {
            let grid = inputSize / layer.stride
            for y in 0..<grid {
                for x in 0..<grid {
                    for _ in 0..<layer.anchorsPerCell {
                        result.append(Point(x: (Double(x) + 0.5) / Double(grid), y: (Double(y) + 0.5) / Double(grid)))
                    }
                }
            }
        }
        return result
    }
}
