/// A number written as `[+-]digits[.digits][(e|E)[+-]digits]` with at most 19 significant
/// digits: `mantissa × 10^exponent`, read from bytes without making a `String`.
struct PlainDecimal {
    /// The significant digits as an integer.
    var mantissa: UInt64
    /// The power of ten that scales `mantissa`.
    var exponent: Int
    /// Whether a `-` came first.
    var negative: Bool
    /// The first byte after the number.
    var end: UnsafePointer<UInt8>

    /// The number that starts at `start`; nil when the bytes there are not of the form above.
    /// Reads stop at the first byte that cannot continue the number, so a NUL after the
    /// text keeps them inside it.
    @inline(__always)
    init?(scanning start: UnsafePointer<UInt8>) {
        var q = start
        negative = q.pointee == UInt8(ascii: "-")
        if negative || q.pointee == UInt8(ascii: "+") { q += 1 }
        var mantissa: UInt64 = 0
        var exponent = 0
        var significantDigits = 0
        let digitsStart = q
        var fractionStart: UnsafePointer<UInt8>? = nil
        while true {
            let digit = q.pointee &- UInt8(ascii: "0")
            if digit < 10 {
                // Leading zeros are not significant; past 19 digits the sum may wrap, and
                // the count then sends the text to the exact parser.
                if mantissa != 0 || digit != 0 { significantDigits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if fractionStart != nil { exponent -= 1 }
            } else if q.pointee == UInt8(ascii: "."), fractionStart == nil {
                fractionStart = q
            } else {
                break
            }
            q += 1
        }
        // At least one digit, besides the point.
        guard q - digitsStart > (fractionStart == nil ? 0 : 1), significantDigits <= 19 else { return nil }
        if q.pointee | 0x20 == UInt8(ascii: "e") {
            q += 1
            let negativeExponent = q.pointee == UInt8(ascii: "-")
            if negativeExponent || q.pointee == UInt8(ascii: "+") { q += 1 }
            var power = 0
            let powerStart = q
            while true {
                let digit = q.pointee &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if power < 100_000 { power = power * 10 + Int(digit) }  // beyond any exponent a Double has
                q += 1
            }
            guard q > powerStart else { return nil }
            exponent += negativeExponent ? -power : power
        }
        self.mantissa = mantissa
        self.exponent = exponent
        end = q
    }

    /// The nearest `Double`, when one IEEE multiplication or division gives it: the mantissa
    /// and the power of ten are both exact `Double`s, so the one rounding of that operation
    /// is the correct rounding (Clinger's fast path). Nil otherwise.
    @inline(__always)
    var double: Double? {
        guard mantissa != 0 else { return negative ? -0.0 : 0.0 }
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let m = Double(mantissa)
        let magnitude = exponent < 0 ? m / exactPowersOfTen[-exponent] : m * exactPowersOfTen[exponent]
        return negative ? -magnitude : magnitude
    }
}

/// 10^0 through 10^22, every one exact in a `Double`.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// A scalar type that the CSV reader parses from bytes, exactly as `Self(String)` would.
protocol DecimalParsable: BinaryFloatingPoint, LosslessStringConvertible {
    /// The value of `decimal` when it can be had without `Self(String)`; nil otherwise.
    static func exactly(_ decimal: PlainDecimal) -> Self?
}

extension Double: DecimalParsable {
    @inline(__always)
    static func exactly(_ decimal: PlainDecimal) -> Double? { decimal.double }
}

extension Float: DecimalParsable {
    /// Rounding to `Double` and then to `Float` can differ from rounding once only when the
    /// `Double` lands exactly halfway between two `Float`s (every such midpoint is a `Double`,
    /// so a value on either side of one stays on that side): those are left to `Float(String)`.
    @inline(__always)
    static func exactly(_ decimal: PlainDecimal) -> Float? {
        guard let x = decimal.double else { return nil }
        let rounded = Float(x)
        if Double(rounded) == x { return rounded }
        let neighbour = x > Double(rounded) ? rounded.nextUp : rounded.nextDown
        return (Double(rounded) + Double(neighbour)) * 0.5 == x ? nil : rounded
    }
}
