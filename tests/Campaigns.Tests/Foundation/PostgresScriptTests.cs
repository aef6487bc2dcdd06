using System.Diagnostics;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// The scripts that start the local Postgres, run for real outside any graph: where its data lives when
/// the postgres user cannot reach the clone, and what a failed start leaves behind.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PostgresScriptTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly string Scripts = Path.Combine(Projects.Campaigns_AppHost.ProjectPath, "Infrastructure", "scripts");

    // Not CreateTempSubdirectory: that one is private (0700), and the tests choose what is.
    private readonly string _root = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), $"campaigns-scripts-{Guid.NewGuid():N}")).FullName;
    private readonly HashSet<string> _systemFolders = [];

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

    [Fact]
    public async Task Data_the_postgres_user_cannot_reach_lives_in_var_lib_the_same_at_every_start()
    {
        Assert.SkipUnless(Environment.UserName == "root", "Only root runs the server as another user");
        var ct = TestContext.Current.CancellationToken;
        var privateFolder = Directory.CreateDirectory(Path.Combine(_root, "private"), OwnerOnly).FullName;
        var folder = Path.Combine(privateFolder, "clone", ".data", "postgres");

        var first = await DataFolderAsync(folder, ct);
        await File.WriteAllTextAsync(Path.Combine(first, "PG_VERSION"), "15", ct);
        var second = await DataFolderAsync(folder, ct);

        Assert.StartsWith("/var/lib/campaigns/", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal(first, new FileInfo(folder).LinkTarget);
        Assert.True(File.Exists(Path.Combine(second, "PG_VERSION")), "The data of the first start is gone");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(first));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(privateFolder));
    }

    [Fact]
    public async Task Deleting_the_data_directory_starts_afresh_though_the_data_lived_elsewhere()
    {
        Assert.SkipUnless(Environment.UserName == "root", "Only root runs the server as another user");
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "private"), OwnerOnly).FullName, "clone", ".data");
        var first = await DataFolderAsync(Path.Combine(dataDirectory, "postgres"), ct);
        await File.WriteAllTextAsync(Path.Combine(first, "PG_VERSION"), "15", ct);

        Directory.Delete(dataDirectory, recursive: true);
        var second = await DataFolderAsync(Path.Combine(dataDirectory, "postgres"), ct);

        Assert.Equal(first, second);
        Assert.Empty(Directory.EnumerateFileSystemEntries(second));
    }

    [Fact]
    public async Task Data_the_postgres_user_can_reach_stays_in_the_data_directory()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(_root, "clone", ".data", "postgres");

        Assert.Equal(folder, await DataFolderAsync(folder, ct));
        Assert.Null(new FileInfo(folder).LinkTarget);
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        foreach (var folder in _systemFolders)
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    private async Task<string> DataFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync("postgres-data.sh", [folder], [], cancellationToken);
        Assert.True(exitCode == 0, output);
        var chosen = output.Trim();
        if (chosen != folder)
        {
            _systemFolders.Add(chosen);
        }
        return chosen;
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
