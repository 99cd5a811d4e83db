/// What only a second device has: the Device type, moving tensors, mixing errors, reading values back, every
/// spec-table row's value, gradient and Hessian-vector product against the managed backend's, and a kernel of this
/// backend for every op the rows apply.
module DeviceTests

open System
open System.Threading.Tasks
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

let private managed f =
    use _ = Device.Use Device.Managed
    f ()

let private onTorch (t: Tensor) = t.To(Setup.device ())

/// The row's arguments drawn on the managed device, from one seed.
let private drawManaged (spec: Spec) (shapes: int[] list) (dtype: DType) (seed: int) =
    managed (fun () ->
        let rng = Random seed

        List.map2 (sample rng) spec.Domains shapes
        |> List.map (fun t -> t.ToDType dtype))

let private flat (ts: Tensor list) =
    Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

/// Value, VJP and forward-over-reverse Hessian-vector product of a row on both devices, within the row's tolerance.
let private agrees (spec: Spec) (shapes: int[] list) (dtype: DType) =
    let tol = if dtype = DType.Float64 then spec.F64 else spec.F32

    for seed in 1..3 do
        let xs = drawManaged spec shapes dtype seed
        let ys = List.map onTorch xs

        let what =
            $"{spec.Name} {dtype.Name()} {shapes |> List.map (fun s -> String.Join('x', s))}"

        let yM = managed (fun () -> spec.F xs)
        let yT = spec.F ys
        Expect.equal yT.Device (Setup.device ()) $"{what}: the result's device"
        close $"{what}: value" tol.Rtol tol.Atol (yT.To Device.Managed) yM
        let u = managed (fun () -> Tensor.RandomNormal(shapeOf yM, seed, dtype))

        let vs =
            managed (fun () -> shapes |> List.map (fun s -> Tensor.RandomNormal(s, seed + 100, dtype)))

        let gradM = managed (fun () -> flat (reverse spec.F xs u))
        let gradT = flat (reverse spec.F ys (onTorch u))
        close $"{what}: VJP" tol.Rtol tol.Atol (gradT.To Device.Managed) gradM

        let hvp (xs: Tensor list) (u: Tensor) (vs: Tensor list) =
            forward (fun zs -> flat (reverse spec.F zs u)) xs vs

        let hvpM = managed (fun () -> hvp xs u vs)
        let hvpT = hvp ys (onTorch u) (List.map onTorch vs)
        close $"{what}: Hessian-vector product" tol.Rtol tol.Atol (hvpT.To Device.Managed) hvpM

/// The ops a row applies (Ops/OpTrace.fs) that this backend has no kernel for: each op's ComputeOn, on device copies of
/// the values it was applied to, returns null, and the op would run on managed copies and move back.
let private withoutKernel (spec: Spec) (shapes: int[] list) (dtype: DType) =
    let device = Setup.device ()
    let backend = Backends.For device

    managed (fun () ->
        let rng = Random 1

        let xs =
            List.map2 (sample rng) spec.Domains shapes
            |> List.map (fun t -> t.ToDType dtype)

        [
            for op, args in Ops.OpTrace.steps spec.F xs do
                if isNull (op.ComputeOn(backend, args |> Array.map (fun a -> a.To device))) then
                    op.Name
        ])

[<Tests>]
let tests =
    testList
        "devices"
        [
            testList
                "the Device type"
                [
                    test "the suite runs on a torch device" {
                        Expect.isFalse (Setup.device ()).IsManaged "FUNCGRAD_DEVICE set by Main"
                        Expect.equal (Tensor.Zeros [| 2 |]).Device (Setup.device ()) "a new tensor's device"
                    }
                    test "names read back as written" {
                        for d in [ Device.Managed; Device.TorchCpu; Device.TorchCuda 0; Device.TorchCuda 3 ] do
                            Expect.equal (Device.Parse(d.ToString())) d (d.ToString())

                        Expect.equal (Device.Parse " Torch:CUDA ") (Device.TorchCuda 0) "case and spaces"
                        Expect.equal Unchecked.defaultof<Device> Device.Managed "default(Device)"
                        Expect.notEqual Device.TorchCpu (Device.TorchCuda 0) "cpu vs cuda"
                    }
                    test "a bad name is an error that lists the good ones" {
                        let e = raises<FormatException> "parse" (fun () -> Device.Parse "cuda" |> ignore)
                        Expect.stringContains e.Message "torch:cuda:N" "the message lists the names"

                        raises<ArgumentOutOfRangeException> "index" (fun () -> Device.TorchCuda -1 |> ignore)
                        |> ignore
                    }
                    test "Use sets the default within its scope, nests, and follows async flows" {
                        let outer = Device.Default

                        using (Device.Use Device.Managed) (fun _ ->
                            Expect.equal (Tensor.Ones [| 2 |]).Device Device.Managed "inside"

                            let inTask = Task.Run(fun () -> (Tensor.Ones [| 2 |]).Device).Result
                            Expect.equal inTask Device.Managed "a task started inside"

                            using (Device.Use Device.TorchCpu) (fun _ ->
                                Expect.equal (Tensor.Ones [| 2 |]).Device Device.TorchCpu "nested"))

                        Expect.equal Device.Default outer "restored"
                        let inFSharp = FuncGrad.Device.using Device.Managed (fun () -> Device.Default)
                        Expect.equal inFSharp Device.Managed "F#"
                    }
                ]

            testList
                "moving"
                [
                    test "values survive a round trip exactly, in both dtypes and any shape" {
                        for shape in [ [||]; [| 0 |]; [| 5 |]; [| 3; 4 |]; [| 2; 1; 3 |] ] do
                            for dtype in [ DType.Float64; DType.Float32 ] do
                                let x = managed (fun () -> Tensor.RandomNormal(shape, 7, dtype))
                                let t = x.To Device.TorchCpu
                                Expect.equal t.Device Device.TorchCpu "moved"
                                Expect.equal (t.To Device.Managed) x $"{shapeOf x} {dtype.Name()}"
                                Expect.equal (t.ToArray()) (x.ToArray()) "ToArray copies back"
                    }
                    test "moving to the device a tensor is on returns it" {
                        let t = Tensor.Ones [| 3 |]
                        Expect.isTrue (obj.ReferenceEquals(t.To t.Device, t)) "no copy"
                    }
                    test "gradients flow back across a move, to the argument's device" {
                        let x = managed (fun () -> Tensor.FromArray [| 1.0; 2.0; 3.0 |])
                        let g = Autodiff.Grad((fun (t: Tensor) -> (t.To Device.TorchCpu).Square().Sum()), x)
                        Expect.equal g.Device Device.Managed "the gradient's device"
                        equalValues "2x" g [| 2.0; 4.0; 6.0 |]

                        let h =
                            Autodiff.Hessian((fun (t: Tensor) -> (t.To Device.TorchCpu).Pow(3.0).Sum()), x)

                        Expect.equal h.Device Device.Managed "the Hessian's device"
                        equalValues "diag(6x)" h [| 6.0; 0.0; 0.0; 0.0; 12.0; 0.0; 0.0; 0.0; 18.0 |]
                    }
                    test "values are read as copies: Item, ToArray, AsSpan, printing, equality" {
                        let t = Tensor.FromArray([| 1.5; -2.0 |])
                        Expect.equal (t.Sum().Item()) -0.5 "Item"
                        Expect.equal (t.AsSpan().ToArray()) [| 1.5; -2.0 |] "AsSpan"
                        Expect.equal (t.ToFloatArray()) [| 1.5f; -2.0f |] "ToFloatArray"
                        Expect.stringContains (t.ToString()) "1.5000" "printing"
                        Expect.isTrue (t.Equals(managed (fun () -> Tensor.FromArray [| 1.5; -2.0 |]))) "Equals"
                        Expect.isTrue (t.AllClose(t + 1e-12)) "AllClose"
                    }
                    test "F#: Tensor.toDevice and Tensor.device" {
                        let t = Tensor.ofList [ 1.0 ] |> Tensor.toDevice Device.Managed
                        Expect.equal (Tensor.device t) Device.Managed "moved"
                    }
                ]

            testList
                "mixing"
                [
                    test "two devices in one op is an error naming both and how to move one" {
                        let a = managed (fun () -> Tensor.Ones [| 2 |])
                        let b = Tensor.Ones [| 2 |]
                        let e = raises<DeviceMismatchException> "add" (fun () -> a + b |> ignore)

                        for part in [ "Add"; "managed"; string (Setup.device ()); "To(Device.Parse" ] do
                            Expect.stringContains e.Message part "the message"

                        raises<DeviceMismatchException> "matmul" (fun () ->
                            (Tensor.Ones [| 2; 2 |]).MatMul(managed (fun () -> Tensor.Ones [| 2; 2 |]))
                            |> ignore)
                        |> ignore
                    }
                    test "a managed number combines with any device, as a zero-dimensional CPU tensor does in PyTorch" {
                        let t = Tensor.FromArray [| 1.0; 2.0 |]
                        let r = t * Tensor.Scalar 3.0 + Tensor.Scalar 1.0
                        Expect.equal r.Device (Setup.device ()) "the result's device"
                        equalValues "3t + 1" r [| 4.0; 7.0 |]
                    }
                ]

            testList
                "compile"
                [
                    test "a compiled function on device tensors runs f itself, on the device" {
                        let f (x: Tensor) = (x.Tanh() * x).Sum() * 2.0
                        let compiled = Autodiff.Compile(Func<Tensor, Tensor> f)

                        let g =
                            Autodiff.Compile(Func<Tensor, Tensor>(fun x -> Autodiff.Grad(Func<_, _> f, x)))

                        let x = Tensor.FromArray [| 0.5; -1.0; 2.0 |]
                        let y = compiled.Invoke x
                        Expect.equal y.Device (Setup.device ()) "the result's device"
                        Expect.equal (y.To Device.Managed) ((f x).To Device.Managed) "the value f gives"
                        let d = g.Invoke x
                        Expect.equal d.Device (Setup.device ()) "the gradient's device"
                        Expect.equal (d.To Device.Managed) ((Autodiff.Grad(Func<_, _> f, x)).To Device.Managed) "grad"
                    }
                    test "a managed compiled function that captures a device tensor runs f itself" {
                        let w = Tensor.FromArray [| 1.0; 2.0; 3.0 |]
                        let f (x: Tensor) = (w * x).Sum()
                        let compiled = Autodiff.Compile(Func<Tensor, Tensor> f)
                        // a managed number combines with a device tensor, as in eager evaluation
                        let x = managed (fun () -> Tensor.Scalar 2.0)
                        let y = compiled.Invoke x
                        Expect.equal y.Device (Setup.device ()) "the device of f's result"
                        Expect.equal ((y.To Device.Managed).Item()) 12.0 "2·(1 + 2 + 3)"
                        Expect.equal ((compiled.Invoke x).To Device.Managed) (y.To Device.Managed) "a second call"
                    }
                    test "explain refuses a device input and says what to pass" {
                        let compiled = Autodiff.Compile(Func<Tensor, Tensor>(fun x -> x * 2.0))
                        let x = Tensor.FromArray [| 1.0 |]

                        let e =
                            raises<ArgumentException> "explain" (fun () -> Autodiff.Explain(compiled, x) |> ignore)

                        Expect.stringContains e.Message "Device.Managed" "the message"
                    }
                ]

            test "every op the spec table applies has a kernel on this device" {
                let missing =
                    [
                        for spec in specs do
                            for shapes in spec.Shapes do
                                for dtype in [ DType.Float64; DType.Float32 ] do
                                    for op in withoutKernel spec shapes dtype do
                                        op, spec.Name
                    ]
                    |> List.groupBy fst
                    |> List.map (fun (op, rows) ->
                        let rs = rows |> List.map snd |> List.distinct |> String.concat ", "
                        $"{op} (applied by {rs})")

                if not missing.IsEmpty then
                    failtest (
                        $"these ops have no kernel on {Setup.device ()}: ComputeOn returned null, so they run on "
                        + "managed copies and move back. Map them in src/Backend.LibTorch/TorchBackend.cs, or, for "
                        + "an op composed of others that have kernels, return Compute(x) from its ComputeOn:\n  "
                        + String.Join("\n  ", missing)
                    )
            }

            testList
                "against the managed backend"
                [
                    for spec in specs do
                        for shapes in spec.Shapes do
                            for dtype in [ DType.Float64; DType.Float32 ] do
                                let shown = shapes |> List.map (fun s -> "[" + String.Join("x", s) + "]")

                                test $"{spec.Name} {dtype.Name()} {String.Join('·', shown)}" {
                                    agrees spec shapes dtype
                                }
                ]
        ]
