/// What the CSV reader should make of a file, by the plainest route: split the bytes into
/// lines and fields, trim blanks, and read each field with `Scalar(String)`. Nil where the
/// reader should throw. Slow, and independent of the reader's code.
func referenceTable<Scalar: BinaryFloatingPoint & LosslessStringConvertible>(
    _ bytes: [UInt8], headerLines: Int, as: Scalar.Type
) -> (values: [Scalar], shape: [Int])? {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    var lines: [ArraySlice<UInt8>] = []
    var start = body.startIndex
    var i = start
    while i < body.endIndex {
        if body[i] == 0x0A || body[i] == 0x0D {
            lines.append(body[start..<i])
            if body[i] == 0x0D, i + 1 < body.endIndex, body[i + 1] == 0x0A { i += 1 }
            start = i + 1
        }
        i += 1
    }
    lines.append(body[start...])
    let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
    var values: [Scalar] = []
    var shape = [0, 0]
    for line in lines.dropFirst(max(headerLines, 0)) where !line.allSatisfy(isBlank) {
        let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        if shape[1] == 0 { shape[1] = fields.count }
        guard fields.count == shape[1] else { return nil }
        for field in fields {
            var (start, end) = (field.startIndex, field.endIndex)
            while start < end, isBlank(field[start]) { start += 1 }
            while end > start, isBlank(field[end - 1]) { end -= 1 }
            let text = field[start..<end]
            guard !text.contains(0), let value = Scalar(String(decoding: text, as: UTF8.self)) else { return nil }
            values.append(value)
        }
        shape[0] += 1
    }
    return shape[0] > 0 ? (values, shape) : nil
}
