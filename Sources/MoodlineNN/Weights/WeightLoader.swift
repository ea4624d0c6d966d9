/// Hands a model its tensors by name, checking every shape; scoped like a path (`loader.scoped("conv2d_1")`).
///
/// Errors name the full tensor path and, on a mismatch, both shapes.
public struct WeightLoader: Sendable {
    private let source: Source
    private let prefix: String

    private enum Source: Sendable {
        case file(SafeTensorsFile)
        case tensors(name: String, [String: Tensor])
    }

    /// A loader over a safetensors file.
    public init(file: SafeTensorsFile) {
        source = .file(file)
        prefix = ""
    }

    /// A loader over tensors in memory (tests build models from zero or random weights this way).
    public init(tensors: [String: Tensor], name: String = "in-memory weights") {
        source = .tensors(name: name, tensors)
        prefix = ""
    }

    private init(source: Source, prefix: String) {
        self.source = source
        self.prefix = prefix
    }

    /// The file or source name, for messages.
    public var sourceName: String {
        switch source {
        case .file(let file): return file.name
        case .tensors(let name, _): return name
        }
    }

    /// A loader whose names are relative to `name` (joined with "/").
    public func scoped(_ name: String) -> WeightLoader {
        WeightLoader(source: source, prefix: path(name))
    }

    /// The tensor at `name` under this scope, which must have exactly `shape`.
    ///
    /// - Throws: `WeightError.missingTensor` or `.shapeMismatch`, naming the full path.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let full = path(name)
        let tensor: Tensor
        switch source {
        case .file(let file):
            tensor = try file.tensor(named: full)
        case .tensors(let sourceName, let tensors):
            guard let found = tensors[full] else { throw WeightError.missingTensor(file: sourceName, tensor: full) }
            tensor = found
        }
        guard tensor.shape == shape else {
            throw WeightError.shapeMismatch(file: sourceName, tensor: full, expected: shape, actual: tensor.shape)
        }
        return tensor
    }

    /// The shape of the tensor at `name`, for layers whose size the weights decide.
    public func shape(of name: String) throws -> [Int] {
        let full = path(name)
        switch source {
        case .file(let file):
            guard let entry = file.entries[full] else { throw WeightError.missingTensor(file: file.name, tensor: full) }
            return entry.shape
        case .tensors(let sourceName, let tensors):
            guard let found = tensors[full] else { throw WeightError.missingTensor(file: sourceName, tensor: full) }
            return found.shape
        }
    }

    private func path(_ name: String) -> String {
        prefix.isEmpty ? name : prefix + "/" + name
    }
}
