/// Runs an assembly's Expecto tests under VSTest, one at a time, each announced to VSTest before it starts and after
/// it ends: Stryker.NET's data collector learns from those events which mutants each test reaches, and turns a mutant
/// on for the tests that reach it. One at a time because that attribution would be wrong for tests run side by side.
namespace FuncGrad.Expecto.TestAdapter

open System
open System.Reflection
open System.Threading
open Expecto
open Microsoft.VisualStudio.TestPlatform.ObjectModel
open Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter
open Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging

module internal Expecto =
    [<Literal>]
    let ExecutorUri = "executor://funcgrad/expecto"

    /// A test's name as Expecto prints it, its lists' names joined by dots.
    let fullName (t: FlatTest) = String.Join(".", t.name)

    /// Whether the assembly was built against Expecto (the adapter is asked about every assembly in the folder).
    let private usesExpecto (source: string) =
        try
            AssemblyName.GetAssemblyName(source) |> ignore

            Assembly.LoadFrom(source).GetReferencedAssemblies()
            |> Array.exists (fun a -> a.Name = "Expecto")
        with _ ->
            false

    /// The assembly's tests, as its [<Tests>] values declare them.
    let tests (source: string) : FlatTest list =
        if not (usesExpecto source) then
            []
        else
            match Impl.testFromAssembly (Assembly.LoadFrom source) with
            | Some t -> Test.toTestCodeList t
            | None -> []

    let testCase (source: string) (t: FlatTest) =
        TestCase(fullName t, Uri ExecutorUri, source, DisplayName = fullName t)

    /// Runs one test's code as Expecto's runner does: properties with their own FsCheck configuration.
    let run (code: TestCode) =
        match code with
        | Sync f -> f ()
        | SyncWithCancel f -> f CancellationToken.None
        | Async a -> Async.RunSynchronously a
        | AsyncFsCheck(config, _, f) -> f (defaultArg config FsCheckConfig.defaultConfig) |> Async.RunSynchronously

[<FileExtension(".dll"); DefaultExecutorUri(Expecto.ExecutorUri)>]
type ExpectoDiscoverer() =
    interface ITestDiscoverer with
        member _.DiscoverTests
            (sources: string seq, _: IDiscoveryContext, _: IMessageLogger, sink: ITestCaseDiscoverySink)
            =
            for source in sources do
                for t in Expecto.tests source do
                    sink.SendTestCase(Expecto.testCase source t)

[<ExtensionUri(Expecto.ExecutorUri)>]
type ExpectoExecutor() =
    let mutable cancelled = false

    let runOne (handle: IFrameworkHandle) (case: TestCase) (t: FlatTest) =
        handle.RecordStart case
        let started = DateTimeOffset.Now

        let outcome, error =
            match t.shouldSkipEvaluation, t.state with
            | Some _, _
            | _, Pending -> TestOutcome.Skipped, None
            | _ ->
                try
                    Expecto.run t.test
                    TestOutcome.Passed, None
                with
                | :? IgnoreException as e -> TestOutcome.Skipped, Some(e :> exn)
                | e -> TestOutcome.Failed, Some e

        let ended = DateTimeOffset.Now

        let result =
            TestResult(case, Outcome = outcome, StartTime = started, EndTime = ended, Duration = ended - started)

        match error with
        | Some e ->
            result.ErrorMessage <- e.Message
            result.ErrorStackTrace <- e.StackTrace
        | None -> ()

        handle.RecordResult result
        handle.RecordEnd(case, outcome)

    let runSelected (handle: IFrameworkHandle) (source: string) (wanted: string -> bool) =
        for t in Expecto.tests source do
            let name = Expecto.fullName t

            if not cancelled && wanted name then
                runOne handle (Expecto.testCase source t) t

    interface ITestExecutor with
        member _.RunTests(cases: TestCase seq, _: IRunContext, handle: IFrameworkHandle) =
            for source, group in cases |> Seq.groupBy (fun c -> c.Source) do
                let names =
                    group |> Seq.map (fun c -> c.FullyQualifiedName) |> Collections.Generic.HashSet

                runSelected handle source names.Contains

        member _.RunTests(sources: string seq, _: IRunContext, handle: IFrameworkHandle) =
            for source in sources do
                runSelected handle source (fun _ -> true)

        member _.Cancel() = cancelled <- true
