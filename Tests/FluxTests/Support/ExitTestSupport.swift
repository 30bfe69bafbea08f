import Testing

extension Optional where Wrapped == ExitTest.Result {
    /// What the exited child process wrote to standard error, as text ("" when the exit test
    /// itself failed).
    var standardError: String {
        String(decoding: self?.standardErrorContent ?? [], as: UTF8.self)
    }
}
