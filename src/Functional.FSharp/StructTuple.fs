namespace FuncGrad

/// The core returns several tensors as a C# value tuple; the F# surface hands them on as an F# tuple, which reads
/// naturally in a pattern (<c>let values, indices = ...</c>).
module internal StructTuple =
    /// The pair a struct tuple holds, as an F# tuple.
    let toPair (struct (a, b)) = a, b
