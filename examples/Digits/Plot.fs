/// The training curves as a picture, with ScottPlot (Skia without system dependencies, so it renders headless).
module Digits.Plot

open System
open System.IO
open ScottPlot

let private fontName = "DejaVu Sans (shipped)"

/// <summary>What one epoch measured.</summary>
/// <example><code>
/// { Epoch = 1; TrainLoss = 0.9; TestLoss = 0.5; TrainAccuracy = 0.8; TestAccuracy = 0.9 }
/// </code></example>
type EpochResult =
    {
        Epoch: int
        TrainLoss: float
        TestLoss: float
        TrainAccuracy: float
        TestAccuracy: float
    }

/// <summary>
/// Under <paramref name="title"/>, draws loss (left axis) and accuracy in percent (right axis) against the epoch,
/// and saves it as <c>curves.png</c> and <c>curves.svg</c> in <paramref name="dir"/> (created if needed). Returns
/// both paths.
/// </summary>
/// <example><code>let png, svg = Plot.save "out" "An MLP learns the UCI digits" results</code></example>
let save (dir: string) (title: string) (results: EpochResult list) : string * string =
    Directory.CreateDirectory dir |> ignore
    let epochs = results |> List.map (fun r -> float r.Epoch) |> Array.ofList
    let series (f: EpochResult -> float) = results |> List.map f |> Array.ofList

    // The shipped font, so the PNG has text even where no font is installed.
    let fonts = Path.Combine(AppContext.BaseDirectory, "fonts")

    Fonts.AddFontFile(fontName, Path.Combine(fonts, "DejaVuSans-subset.ttf"), false, false)
    |> ignore

    Fonts.AddFontFile(fontName, Path.Combine(fonts, "DejaVuSans-Bold-subset.ttf"), true, false)
    |> ignore

    use plot = new Plot()
    plot.Font.Set fontName |> ignore

    let line (ys: float[]) (label: string) (color: Color) (dashed: bool) =
        let s = plot.Add.Scatter(epochs, ys, color)
        s.LegendText <- label
        s.LineWidth <- 2.0f
        s.MarkerSize <- 4.0f
        // Skia's SVG writer has no dash effect, so test curves are told apart by their markers.
        if dashed then
            s.MarkerShape <- MarkerShape.OpenCircle
            s.MarkerSize <- 6.0f

        s

    line (series (fun r -> r.TrainLoss)) "training loss" Colors.SteelBlue false
    |> ignore

    line (series (fun r -> r.TestLoss)) "test loss" Colors.Navy true |> ignore

    let trainAcc =
        line (series (fun r -> 100.0 * r.TrainAccuracy)) "training accuracy (%)" Colors.DarkOrange false

    let testAcc =
        line (series (fun r -> 100.0 * r.TestAccuracy)) "test accuracy (%)" Colors.FireBrick true

    trainAcc.Axes.YAxis <- plot.Axes.Right
    testAcc.Axes.YAxis <- plot.Axes.Right

    plot.Title title
    plot.XLabel "epoch"
    plot.YLabel "cross-entropy loss"
    plot.Axes.Right.Label.Text <- "accuracy (%)"
    plot.Axes.SetLimitsY(0.0, 100.0, plot.Axes.Right)
    plot.Legend.Alignment <- Alignment.MiddleRight
    plot.ShowLegend() |> ignore

    let png = Path.GetFullPath(Path.Combine(dir, "curves.png"))
    let svg = Path.GetFullPath(Path.Combine(dir, "curves.svg"))
    plot.SavePng(png, 900, 540) |> ignore
    plot.SaveSvg(svg, 900, 540) |> ignore
    png, svg
