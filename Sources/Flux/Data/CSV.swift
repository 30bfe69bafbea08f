import Foundation

/// Why a data file could not be read.
public enum DataFileError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// A field is not a number.
    case notANumber(path: String, line: Int, column: Int, text: String)
    /// A line has another number of fields than the first.
    case ragged(path: String, line: Int, expected: Int, found: Int)
    /// The file holds no rows.
    case empty(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot be read (\(reason))"
        case .notANumber(let path, let line, let column, let text):
            "\(path):\(line): field \(column) is not a number: \"\(text)\""
        case .ragged(let path, let line, let expected, let found):
            "\(path):\(line): \(found) fields where the first line has \(expected)"
        case .empty(let path): "\(path): no rows"
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// The numbers of a comma-separated file as a `[rows, columns]` tensor.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - headerLines: lines to skip at the start.
    /// - Throws: ``DataFileError`` naming the file (and the line and field) when the file
    ///   cannot be read, a field is not a number, or the rows differ in length.
    public init(contentsOfCSV path: String, headerLines: Int = 0) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DataFileError.unreadable(path: path, reason: error.localizedDescription)
        }
        var values: [Scalar] = []
        var columns = -1
        var rows = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where index >= headerLines && !line.allSatisfy(\.isWhitespace) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if columns < 0 { columns = fields.count }
            guard fields.count == columns else {
                throw DataFileError.ragged(path: path, line: index + 1, expected: columns, found: fields.count)
            }
            for (column, field) in fields.enumerated() {
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                guard let number = Double(trimmed) else {
                    throw DataFileError.notANumber(
                        path: path, line: index + 1, column: column + 1, text: String(trimmed))
                }
                values.append(Scalar(number))
            }
            rows += 1
        }
        guard rows > 0 else { throw DataFileError.empty(path: path) }
        self.init(shape: [rows, columns], scalars: values)
    }
}
