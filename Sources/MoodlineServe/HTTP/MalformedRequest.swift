import NIOHTTP1

/// What a client is told when its request cannot be parsed as HTTP/1.1: the status and a reason a person can
/// act on. NIO's decoder stops at the first error; without an answer the client would only see the connection
/// drop.
enum MalformedRequest {
    /// The status (431 for headers over the limits, else 400) and the reason for a parser error.
    static func answer(to error: HTTPParserError, limits: String) -> (status: HTTPResponseStatus, reason: String) {
        switch error {
        case .headerOverflow:
            return (.requestHeaderFieldsTooLarge, "the request's headers are too large (\(limits))")
        case .invalidContentLength:
            return (.badRequest, "Content-Length must be a single non-negative decimal number")
        case .unexpectedContentLength:
            return (
                .badRequest,
                "the request gives its length twice (two Content-Length headers, or Content-Length with Transfer-Encoding)"
            )
        case .invalidChunkSize:
            return (.badRequest, "the request's chunked body has a chunk size that is not a hexadecimal number")
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant, .strictModeAssertion:
            return (.badRequest, "a header line of the request is not well-formed HTTP/1.1")
        case .invalidMethod:
            return (.badRequest, "the request's method is not an HTTP method")
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment, .invalidHost, .invalidPort:
            return (.badRequest, "the request's target is not a valid path")
        case .invalidVersion:
            return (.badRequest, "only HTTP/1.0 and HTTP/1.1 are spoken here")
        default:
            return (.badRequest, "the request is not well-formed HTTP/1.1")
        }
    }
}
