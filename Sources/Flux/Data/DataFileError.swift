/// Why a data file could not be read.
///
/// Lines are counted from 1 and end at `\n`, `\r\n` or `\r`; fields are counted from 1.
public enum DataFileError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// A field is not a number; `text` is the field without its surrounding blanks, cut
    /// after 64 bytes (then ending in "…").
    case notANumber(path: String, line: Int, column: Int, text: String)
    /// A field is empty or blank: a missing value.
    case missingValue(path: String, line: Int, column: Int)
    /// A line has another number of fields than the first.
    case ragged(path: String, line: Int, expected: Int, found: Int)
    /// The file holds no rows.
    case empty(path: String)
    /// The file is not laid out as its format requires: `reason` says what is wrong
    /// (a bad magic number, a header that disagrees with the file's size, …).
    case malformed(path: String, reason: String)
    /// The file holds numbers of a kind the requested scalar type cannot hold, such as
    /// floating-point numbers read into integers; `stored` names the file's kind and
    /// `requested` the scalar type.
    case incompatibleScalar(path: String, stored: String, requested: String)

    /// How many bytes of a field a `notANumber` error quotes.
    static let shownTextLength = 64

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot be read (\(reason))"
        case .notANumber(let path, let line, let column, let text):
            "\(path):\(line): field \(column) is not a number: \"\(text)\""
        case .missingValue(let path, let line, let column):
            "\(path):\(line): field \(column) is empty (a missing value)"
        case .ragged(let path, let line, let expected, let found):
            "\(path):\(line): \(found) fields where the first line has \(expected)"
        case .empty(let path): "\(path): no rows"
        case .malformed(let path, let reason): "\(path): malformed: \(reason)"
        case .incompatibleScalar(let path, let stored, let requested):
            "\(path): holds \(stored) values, which a Tensor<\(requested)> cannot hold"
        }
    }
}
