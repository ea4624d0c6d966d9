import Foundation
import Hummingbird
import MoodlineMedia
import MultipartKit

/// Receives a `multipart/form-data` upload straight to disk, part by part, refusing it as soon as it breaks a
/// limit: its size, its number of files, a file that is not a video or photo by name. Nothing is held in memory
/// but the chunk being written.
struct UploadReceiver {
    let maximumBytes: Int
    let maximumFiles: Int

    /// The files of `request`, stored under generated names in `folder` (which must exist), and its form fields
    /// (the analysis's options: a few short values).
    ///
    /// - Parameter onBodyStart: called once, when the body's first bytes arrive; what it throws refuses the upload.
    /// - Throws: `Refusal` with the status and reason to answer; files already written stay for the caller to
    ///   delete with the folder.
    func receive(
        _ request: Request, into folder: String, onBodyStart: () throws -> Void = {}
    ) async throws -> (files: [UploadedFile], fields: [String: String]) {
        guard let type = request.headers[.contentType], let boundary = Self.boundary(of: type) else {
            throw Refusal(
                .unsupportedMediaType,
                "send the files as multipart/form-data (an HTML form with enctype=\"multipart/form-data\")")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw Refusal(
                .contentTooLarge,
                "the upload is \(Self.megabytes(length)); the limit is \(Self.megabytes(maximumBytes))")
        }
        let writer = PartWriter(folder: folder, maximumFiles: maximumFiles)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in writer.header(name, value) }
        parser.onBody = { buffer in writer.body(&buffer) }
        parser.onPartComplete = { writer.partComplete() }
        var received = 0
        do {
            for try await chunk in request.body {
                if received == 0 { try onBodyStart() }
                received += chunk.readableBytes
                guard received <= maximumBytes else {
                    throw Refusal(.contentTooLarge, "the upload is over the limit of \(Self.megabytes(maximumBytes))")
                }
                try parser.execute(chunk)
                if let refusal = writer.refusal { throw refusal }
            }
        } catch let refusal as Refusal {
            writer.abandon()
            throw refusal
        } catch {
            writer.abandon()
            throw Refusal(.badRequest, "the upload is not well-formed multipart/form-data")
        }
        guard writer.isComplete else {
            writer.abandon()
            throw Refusal(.badRequest, "the upload ended before its last part was complete")
        }
        guard !writer.files.isEmpty else { throw Refusal(.badRequest, "the upload has no file in it") }
        return (writer.files, writer.fields)
    }

    /// The boundary of a `multipart/form-data` content type.
    static func boundary(of contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            // RFC 2046: 1 to 70 characters.
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}

/// Writes the parts of one upload as they arrive. The multipart parser calls it synchronously, so it keeps its
/// first refusal for the receiver to throw.
private final class PartWriter {
    private let folder: String
    private let maximumFiles: Int
    private var headers: [(String, String)] = []
    private var handle: FileHandle?
    private var current: (original: String, stored: String, bytes: Int)?
    /// The form field being read (a part without a file name).
    private var field: (name: String, value: [UInt8])?
    private var inPart = false
    private(set) var files: [UploadedFile] = []
    private(set) var fields: [String: String] = [:]
    /// Options are a few short values: anything longer or more numerous is not the upload page's.
    static let maximumFieldBytes = 256
    static let maximumFields = 16
    private(set) var refusal: Refusal?
    private(set) var isComplete = true

    init(folder: String, maximumFiles: Int) {
        self.folder = folder
        self.maximumFiles = maximumFiles
    }

    func header(_ name: String, _ value: String) {
        if !inPart {
            inPart = true
            isComplete = false
            headers = []
        }
        headers.append((name, value))
    }

    func body(_ buffer: inout ByteBuffer) {
        guard refusal == nil else { return }
        if current == nil, handle == nil, field == nil, !startPart() { return }
        if field != nil {
            field!.value += buffer.readBytes(length: buffer.readableBytes) ?? []
            if field!.value.count > Self.maximumFieldBytes {
                refusal = Refusal(
                    .badRequest, "the form field '\(field!.name)' is longer than \(Self.maximumFieldBytes) bytes")
            }
            return
        }
        guard let handle, current != nil else { return }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        do {
            try handle.write(contentsOf: bytes)
            current!.bytes += bytes.count
        } catch {
            refusal = Refusal(
                .insufficientStorage, "the server could not store the upload (\(error.localizedDescription))")
        }
    }

    func partComplete() {
        if current == nil, handle == nil, field == nil, refusal == nil { _ = startPart() }
        if let field, refusal == nil {
            fields[field.name] = String(decoding: field.value, as: UTF8.self)
        }
        field = nil
        if let current, refusal == nil {
            try? handle?.close()
            files.append(
                UploadedFile(
                    originalName: UploadName.display(current.original), storedName: current.stored, bytes: current.bytes
                ))
        }
        handle = nil
        current = nil
        inPart = false
        isComplete = true
    }

    /// Deletes the file being written (the folder with the rest is the caller's).
    func abandon() {
        try? handle?.close()
        if let current { unlink(folder + "/" + current.stored) }
        handle = nil
        current = nil
    }

    /// Starts the part: a file (opened for writing) or a form field (kept in memory, short); false for a part that
    /// is neither, or is refused.
    private func startPart() -> Bool {
        let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
        guard let original = ContentDisposition.fileName(in: disposition) else {
            guard let name = ContentDisposition.fieldName(in: disposition) else { return false }
            guard fields.count < Self.maximumFields else {
                refusal = Refusal(.badRequest, "more than \(Self.maximumFields) form fields in one upload")
                return false
            }
            field = (name, [])
            return true
        }
        guard files.count < maximumFiles else {
            refusal = Refusal(.contentTooLarge, "more than \(maximumFiles) files in one upload")
            return false
        }
        guard let stored = UploadName.stored(original: original, number: files.count + 1) else {
            refusal = Refusal(
                .unsupportedMediaType,
                "'\(UploadName.display(original))' is not a video or photo by its name; send .mp4, .mov, .mkv, .webm, .jpg, .png or another media file"
            )
            return false
        }
        // O_EXCL and O_NOFOLLOW: a generated name in a fresh folder, never an existing file or a link.
        let descriptor = open(folder + "/" + stored, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            refusal = Refusal(
                .insufficientStorage, "the server could not store the upload (\(String(cString: strerror(errno))))")
            return false
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        current = (original, stored, 0)
        return true
    }
}

/// The names in a part's `Content-Disposition` header.
enum ContentDisposition {
    /// The form field's name (`name="start"`).
    static func fieldName(in header: String) -> String? {
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
        where part.lowercased().hasPrefix("name=") {
            let value = part.dropFirst("name=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The file name: `filename*=UTF-8''...` when given, else `filename="..."`.
    static func fileName(in header: String) -> String? {
        if let range = header.range(of: "filename*=", options: .caseInsensitive) {
            let value = header[range.upperBound...].prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
            if let quote = value.range(of: "''") {
                return String(value[quote.upperBound...]).removingPercentEncoding
            }
        }
        guard let range = header.range(of: "filename=", options: .caseInsensitive) else { return nil }
        var rest = header[range.upperBound...]
        guard rest.first == "\"" else {
            return String(rest.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
        }
        rest = rest.dropFirst()
        var name = ""
        var escaped = false
        for character in rest {
            if escaped {
                name.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return name
            } else {
                name.append(character)
            }
        }
        return nil
    }
}
