/// What the IDX reader should make of a file, by the plainest route: the header's fields
/// one by one, the elements assembled byte by byte with shifts. Nil where the reader should
/// throw ``DataFileError/malformed(path:reason:)``; `isInteger` false where an integer
/// tensor should be refused. Slow, and independent of the reader's code.
func referenceIDX(_ bytes: [UInt8]) -> (shape: [Int], values: [Double], isInteger: Bool)? {
    let sizes: [UInt8: Int] = [0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8]
    guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, let size = sizes[bytes[2]] else { return nil }
    let type = bytes[2]
    let rank = Int(bytes[3])
    guard rank >= 1, rank <= 8, bytes.count >= 4 + 4 * rank else { return nil }
    /// The big-endian number in `count` bytes from `offset`.
    func number(at offset: Int, count: Int) -> UInt64 {
        var n: UInt64 = 0
        for byte in bytes[offset..<(offset + count)] { n = n * 256 + UInt64(byte) }
        return n
    }
    let shape = (0..<rank).map { Int(number(at: 4 + 4 * $0, count: 4)) }
    // Flux's rule for any tensor: the nonzero extents' product, times 8 bytes, fits in Int.
    var product = 8
    for extent in shape where extent > 0 {
        let (p, overflow) = product.multipliedReportingOverflow(by: extent)
        guard !overflow else { return nil }
        product = p
    }
    let count = shape.contains(0) ? 0 : product / 8
    let data = 4 + 4 * rank
    guard bytes.count - data == count * size else { return nil }
    let values = (0..<count).map { i -> Double in
        let n = number(at: data + i * size, count: size)
        switch type {
        case 0x08: return Double(n)
        case 0x09: return Double(n) - (n >= 128 ? 256 : 0)
        case 0x0B: return Double(n) - (n >= 32768 ? 65536 : 0)
        case 0x0C: return Double(n) - (n >= 1 << 31 ? 4_294_967_296 : 0)
        case 0x0D: return Double(Float(bitPattern: UInt32(n)))
        default: return Double(bitPattern: n)
        }
    }
    return (shape, values, type < 0x0D)
}
