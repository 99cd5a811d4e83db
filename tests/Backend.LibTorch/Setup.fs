/// The device the suite runs on. Main sets FUNCGRAD_DEVICE to torch:cpu (unless it is set already: tests/gpu-check.sh
/// sets torch:cuda) before any tensor exists, so every tensor this process makes, in the linked suites' module values
/// and in their tests, is made there, exactly as an unchanged program runs with FUNCGRAD_DEVICE set. The managed
/// references in DeviceTests make theirs under Device.Use(Device.Managed).
module Setup

open System

/// Makes torch:cpu the process's default device unless FUNCGRAD_DEVICE names one; call before any tensor exists.
let configure () =
    if String.IsNullOrEmpty(Environment.GetEnvironmentVariable "FUNCGRAD_DEVICE") then
        Environment.SetEnvironmentVariable("FUNCGRAD_DEVICE", "torch:cpu")

/// The device the suite runs on.
let device () = FuncGrad.Device.Default
