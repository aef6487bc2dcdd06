using System.Globalization;
using System.Runtime.InteropServices;

namespace Campaigns.Benchmarks.Report;

/// <summary>Where the numbers came from: they mean little without the machine and its load.</summary>
public sealed record MachineInfo
{
    public required int Cores { get; init; }

    public required double MemoryGb { get; init; }

    public required string Os { get; init; }

    public required string Runtime { get; init; }

    public string? Postgres { get; set; }

    public string? Redis { get; set; }

    /// <summary>Build configuration the API and worker ran in (Release for numbers worth keeping).</summary>
    public string? ServicesConfiguration { get; set; }

    public required string LoadAverageAtStart { get; init; }

    public string? LoadAverageAtEnd { get; set; }

    public static MachineInfo Current() => new()
    {
        Cores = Environment.ProcessorCount,
        MemoryGb = Math.Round(MemTotalKb() / 1024.0 / 1024.0, 1),
        Os = RuntimeInformation.OSDescription,
        Runtime = RuntimeInformation.FrameworkDescription,
        LoadAverageAtStart = LoadAverage(),
    };

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static long MemTotalKb()
    {
        if (!File.Exists("/proc/meminfo"))
        {
            return 0;
        }
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
