/// An optimizer's state: `state[k]` holds state tensor `k` of every parameter, shaped like
/// the model (Adam's first moment is `state[0]`, its second `state[1]`).
///
/// It has as many slots as the rule's ``OptimizerRule/stateCount``; reading a slot that
/// does not exist (`state[0]` of SGD without momentum) stops with the rule and the slots it has.
public struct OptimizerState<Model: ParameterContainer>: RandomAccessCollection {
    @usableFromInline let slots: [Gradient<Model>]
    /// The rule, for messages.
    let rule: any OptimizerRule

    init(slots: [Gradient<Model>], rule: some OptimizerRule) { (self.slots, self.rule) = (slots, rule) }

    /// 0.
    public var startIndex: Int { 0 }
    /// The number of slots.
    public var endIndex: Int { slots.count }

    /// State tensor `slot` of every parameter.
    ///
    /// - Precondition: `0 <= slot < count`.
    public subscript(slot: Int) -> Gradient<Model> {
        guard slots.indices.contains(slot) else {
            let which = slots.isEmpty ? "no state" : "state[0] to state[\(slots.count - 1)]"
            fail(
                "\(optimizerName(of: rule)): the optimizer has no state[\(slot)]: \(rule) keeps \(slots.count) state tensor\(slots.count == 1 ? "" : "s") per parameter (\(which))"
            )
        }
        return slots[slot]
    }
}

/// The name of `rule`'s optimizer, for messages.
func optimizerName(of rule: some OptimizerRule) -> String { type(of: rule).optimizerName }
