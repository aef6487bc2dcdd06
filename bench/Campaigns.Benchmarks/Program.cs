using Campaigns.Benchmarks;
using Campaigns.Benchmarks.Report;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await BenchmarkRunner.RunAsync(options, new ElapsedLog(Console.Out), cancel.Token);
await BenchmarkRunner.WriteAsync(report, options.Output, cancel.Token);
Console.WriteLine();
Console.WriteLine($"## Campaigns benchmark ({report.Mode}, {report.Machine.Cores} cores, load {report.Machine.LoadAverageAtStart}, {report.TotalSeconds:N0} s)");
Console.WriteLine();
Console.Write(MarkdownTable.Render(report));
Console.WriteLine();
Console.WriteLine($"Written to {Path.GetFullPath(options.Output)}");
return 0;
