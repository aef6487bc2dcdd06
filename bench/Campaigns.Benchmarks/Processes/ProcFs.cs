using System.Globalization;

namespace Campaigns.Benchmarks.Processes;

/// <summary>
/// What /proc says about the graph's processes: children (the app behind a <c>dotnet run</c> launcher,
/// the postmaster behind its wrapper script), peak resident memory and CPU time of a process tree.
/// </summary>
public static class ProcFs
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static bool Available => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var text = ReadOrEmpty(Path.Combine(task, "children"));
                children.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return children;
    }

    /// <summary>The process and all its live descendants.</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var all = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var next) && all.Count < 10_000)
        {
            all.Add(next);
            foreach (var child in Children(next))
            {
                queue.Enqueue(child);
            }
        }
        return all;
    }

    /// <summary>The application a <c>dotnet run</c> launcher started: its one child (the launcher itself when none).</summary>
    public static int AppBehindLauncher(int launcherPid)
    {
        var child = Children(launcherPid).FirstOrDefault(pid => CommandLine(pid).Length > 0);
        return child > 0 ? child : launcherPid;
    }

    public static int ParentOf(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        var afterName = stat.LastIndexOf(')');
        return afterName < 0 ? 0 : int.Parse(stat[(afterName + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    public static string CommandLine(int pid) => ReadOrEmpty($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();

    /// <summary>One environment variable of a running process, as it was started.</summary>
    public static string? EnvironmentVariable(int pid, string name) =>
        ReadOrEmpty($"/proc/{pid}/environ").Split('\0')
            .FirstOrDefault(entry => entry.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];

    /// <summary>Peak resident set size (VmHWM) in MiB; 0 when the process is gone.</summary>
    public static double PeakRssMb(int pid) => StatusKb(pid, "VmHWM:") / 1024.0;

    public static double RssMb(int pid) => StatusKb(pid, "VmRSS:") / 1024.0;

    /// <summary>Starts the process's peak resident size (VmHWM) afresh from its current size, so a peak read later is one step's.</summary>
    public static void ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not ours to reset (another user's process, no /proc): the peak read later is then the process's whole life's.
        }
    }

    /// <summary>
    /// CPU seconds of a process tree: user + system time of every live process plus what it collected
    /// from children that exited (so short-lived backends are counted too).
    /// </summary>
    public static double TreeCpuSeconds(int pid) => Tree(pid).Sum(CpuSeconds);

    public static double CpuSeconds(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        var afterName = stat.LastIndexOf(')');
        if (afterName < 0)
        {
            return 0;
        }
        // Fields after "(comm)": state is field 3; utime, stime, cutime, cstime are fields 14–17.
        var fields = stat[(afterName + 2)..].Split(' ');
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return (Field(14) + Field(15) + Field(16) + Field(17)) / ClockTicksPerSecond;
    }

    private static long StatusKb(int pid, string key)
    {
        foreach (var line in ReadOrEmpty($"/proc/{pid}/status").Split('\n'))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var digits = line[key.Length..].Trim().Split(' ')[0];
                return long.Parse(digits, CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
