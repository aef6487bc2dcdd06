using System.Diagnostics;

namespace Campaigns.Tests.Foundation;

/// <summary>The scripts that start the local Postgres, run for real outside any graph.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PostgresScriptTests : IDisposable
{
    private static readonly string Scripts = Path.Combine(Projects.Campaigns_AppHost.ProjectPath, "Infrastructure", "scripts");

    // Not CreateTempSubdirectory: that one is private (0700), and the tests choose what is.
    private readonly string _root = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), $"campaigns-scripts-{Guid.NewGuid():N}")).FullName;

    [Fact]
    public async Task A_failed_initdb_leaves_no_password_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        var temp = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(_root, "clone", ".data", "postgres")).FullName;
        // initdb refuses a folder that holds anything but a server's data.
        await File.WriteAllTextAsync(Path.Combine(data, "notes.txt"), "not a database", ct);

        var (exitCode, output) = await RunAsync("postgres.sh", [], new()
        {
            ["PGDATA"] = data,
            ["PGPORT"] = "1",
            ["POSTGRES_PASSWORD"] = "a-secret",
            ["TMPDIR"] = temp,
        }, ct);

        Assert.True(exitCode != 0, output);
        Assert.Contains("is not empty", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string script, string[] arguments, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Scripts, script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
