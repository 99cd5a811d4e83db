// Shared by the docs scripts: loads FuncGrad (with its fsi printer) and checks each printed value,
// so a script fails as soon as a result differs from what its text says.
#load "../src/Functional.FSharp/FuncGrad.fsx"

open FuncGrad

/// Prints the value and fails unless it is within 1e-12 (relative and absolute) of the expected one.
let check (what: string) (actual: Tensor) (expected: Tensor) =
    if not (actual.AllClose(expected, 1e-12, 1e-12)) then
        failwithf "%s: got %O, expected %O" what actual expected
    // the rows after a tensor's first line move over with it, under its first row
    printfn "%-44s %s" what ((string actual).Replace("\n", "\n" + System.String(' ', 45)))

/// Prints the claim and fails unless it holds.
let checkThat (what: string) (ok: bool) =
    if not ok then
        failwithf "%s: false" what

    printfn "%-44s true" what
