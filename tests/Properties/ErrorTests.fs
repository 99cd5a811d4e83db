module ErrorTests

open Expecto

// Placeholder: filled in by the tensor/kernel/error tests.
