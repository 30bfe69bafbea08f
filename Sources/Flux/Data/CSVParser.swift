/// The numbers of a comma-separated file, in row-major order.
struct CSVTable<Number> {
    var values: [Number]
    var rows: Int
    var columns: Int
}

/// Reads a comma-separated file of numbers byte by byte (UTF-8 or ASCII), so that `\n`,
/// `\r\n` and `\r` each end one line wherever they occur.
///
/// Fields are numbers as `Number(String)` reads them, with blanks (spaces, tabs) around
/// them; lines holding only blanks are skipped.
struct CSVParser<Number: DecimalParsable> {
    /// The file's name for errors.
    private let path: String
    /// The next byte to read.
    private var p: UnsafePointer<UInt8>
    /// One past the file's last byte, where a NUL sentinel stands.
    private let end: UnsafePointer<UInt8>
    /// The line that `p` is on, from 1.
    private var line = 1

    /// The table in the file at `path`, after `headerLines` lines.
    ///
    /// - Throws: ``DataFileError`` when the file cannot be read or the table is malformed.
    static func read(_ path: String, headerLines: Int) throws(DataFileError) -> CSVTable<Number> {
        try contentsOfFileWithSentinel(path).withUnsafeBufferPointer { bytes throws(DataFileError) in
            var parser = CSVParser(bytes: bytes, path: path)
            return try parser.table(headerLines: headerLines)
        }
    }

    /// A parser of `bytes`, the file's bytes followed by a NUL that is not the file's;
    /// `bytes` must outlive it.
    private init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
        precondition(bytes.last == 0, "CSVParser needs a NUL after the file's bytes")
        self.path = path
        p = bytes.baseAddress!
        end = p + bytes.count - 1
    }

    /// The table, after `headerLines` lines (and a UTF-8 byte order mark) are skipped.
    ///
    /// - Throws: ``DataFileError`` for the first field that is empty or not a number, the
    ///   first line whose field count differs from the first row's, or a file without rows.
    private mutating func table(headerLines: Int) throws(DataFileError) -> CSVTable<Number> {
        if end - p >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { p += 3 }
        var skipped = 0
        while skipped < headerLines, p < end {
            while p < end, !isLineEnd(p.pointee) { p += 1 }
            skipLineEnd()
            skipped += 1
        }
        var values: [Number] = []
        var rows = 0
        var columns = 0  // unknown until the first row ends: a row has at least one field
        while p < end {
            let first = blanksSkipped(from: p)
            if first == end { break }
            if isLineEnd(first.pointee) {
                p = first
                skipLineEnd()
                continue
            }
            let rowStart = p
            var column = 0
            while true {
                column += 1
                do {
                    values.append(try field(column: column))
                } catch {
                    throw rowError(error, rowStart: rowStart, columns: columns)
                }
                guard p < end, p.pointee == UInt8(ascii: ",") else { break }
                p += 1
            }
            if columns == 0 {
                columns = column
            } else if column != columns {
                throw .ragged(path: path, line: line, expected: columns, found: column)
            }
            rows += 1
            skipLineEnd()
        }
        guard rows > 0 else { throw .empty(path: path) }
        return CSVTable(values: values, rows: rows, columns: columns)
    }

    /// The number in the field at `p`, leaving `p` at the field's end: a comma, a line end
    /// or the end of the file.
    @inline(__always)
    private mutating func field(column: Int) throws(DataFileError) -> Number {
        let start = blanksSkipped(from: p)
        // Most fields are plain decimals of few digits: one pass, no String.
        if let decimal = PlainDecimal(scanning: start), let value = Number.exactly(decimal) {
            let after = blanksSkipped(from: decimal.end)
            if after == end || isFieldEnd(after.pointee) {
                p = after
                return value
            }
        }
        var fieldEnd = start
        while fieldEnd < end, !isFieldEnd(fieldEnd.pointee) { fieldEnd += 1 }
        p = fieldEnd
        while fieldEnd > start, isBlank(fieldEnd[-1]) { fieldEnd -= 1 }
        let text = UnsafeBufferPointer(start: start, count: fieldEnd - start)
        guard !text.isEmpty else { throw .missingValue(path: path, line: line, column: column) }
        // `Number(String)` parses a C string, so it would stop at a NUL and accept "1\0x".
        if !text.contains(0), let value = Number(String(decoding: text, as: UTF8.self)) { return value }
        let shown = String(decoding: text.prefix(DataFileError.shownTextLength), as: UTF8.self)
        throw .notANumber(
            path: path, line: line, column: column,
            text: text.count > DataFileError.shownTextLength ? shown + "…" : shown)
    }

    /// `error` for a field of the row at `rowStart`, unless the row has the wrong number of
    /// fields: that is reported first, as the likelier cause.
    private func rowError(_ error: DataFileError, rowStart: UnsafePointer<UInt8>, columns: Int) -> DataFileError {
        let found = fieldCount(from: rowStart)
        return columns > 0 && found != columns
            ? .ragged(path: path, line: line, expected: columns, found: found) : error
    }

    /// How many fields the line from `rowStart` to its end holds.
    private func fieldCount(from rowStart: UnsafePointer<UInt8>) -> Int {
        var q = rowStart
        var count = 1
        while q < end, !isLineEnd(q.pointee) {
            if q.pointee == UInt8(ascii: ",") { count += 1 }
            q += 1
        }
        return count
    }

    /// Steps over the line end at `p` (`\n`, `\r\n` or `\r`) and counts the line; does
    /// nothing at the end of the file.
    private mutating func skipLineEnd() {
        guard p < end else { return }
        if p.pointee == UInt8(ascii: "\r"), p + 1 < end, p[1] == UInt8(ascii: "\n") { p += 1 }
        p += 1
        line += 1
    }

    /// The first byte at or after `q` that is not a space or a tab (the sentinel stops it).
    @inline(__always)
    private func blanksSkipped(from q: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var q = q
        while isBlank(q.pointee) { q += 1 }
        return q
    }
}

@inline(__always) private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
@inline(__always) private func isLineEnd(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
@inline(__always) private func isFieldEnd(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ",") || isLineEnd(byte) }
