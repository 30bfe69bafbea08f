extension Tensor where Scalar: TensorFloatingPoint {
    /// The numbers of a comma-separated file as a `[rows, columns]` tensor.
    ///
    /// Lines may end in `\n`, `\r\n` or `\r`; lines holding only blanks are skipped, and
    /// spaces and tabs around a field are ignored. Each field is read as `Scalar(String)`
    /// reads it (`1`, `-2.5`, `3e-4`, `inf`, `nan`), correctly rounded.
    ///
    /// ```swift
    /// let table = try Tensor<Float>(contentsOfCSV: "iris.csv", headerLines: 1)
    /// ```
    ///
    /// - Parameters:
    ///   - path: the file, in UTF-8 or ASCII (a byte order mark is skipped).
    ///   - headerLines: lines to skip at the start.
    /// - Throws: ``DataFileError`` naming the file (and the line and field) when the file
    ///   cannot be read, a field is empty or not a number, the rows differ in length, or
    ///   there are no rows.
    /// - Complexity: O(n) in the file's size.
    public init(contentsOfCSV path: String, headerLines: Int = 0) throws {
        // The parser is specialised for `Float` and `Double`; other scalars convert from `Double`.
        if Scalar.self == Float.self {
            self.init(try CSVParser<Float>.read(path, headerLines: headerLines))
        } else {
            self.init(try CSVParser<Double>.read(path, headerLines: headerLines))
        }
    }

    /// `table` as a `[rows, columns]` tensor; one copy of the memory when `Number` is `Scalar`.
    private init<Number: BinaryFloatingPoint>(_ table: CSVTable<Number>) {
        let shape = [table.rows, table.columns]
        guard Number.self == Scalar.self else {
            self.init(shape: shape, scalars: table.values.map { Scalar($0) })
            return
        }
        self.init(shape: shape) { out in
            table.values.withUnsafeBytes { UnsafeMutableRawBufferPointer(out).copyMemory(from: $0) }
        }
    }
}
