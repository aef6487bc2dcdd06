using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// One of the graph's projects run on its own, outside the AppHost: <c>dotnet</c> on its built
/// assembly, configured by environment alone, with everything it writes kept for assertions.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the project's assembly from its own build output (same configuration as the tests).</summary>
    public static ServiceProcess Start(IProjectMetadata project, IReadOnlyDictionary<string, string> environment) =>
        Start(project.ProjectPath, environment);

    /// <summary>
    /// Starts the assembly of the project at <paramref name="projectPath"/> with arguments, in
    /// <paramref name="workingDirectory"/> (default: beside the assembly). The AppHost reads its
    /// appsettings.json from its working directory, as <c>dotnet run</c> starts it: its project folder.
    /// </summary>
    public static ServiceProcess Start(string projectPath, IReadOnlyDictionary<string, string> environment,
        IEnumerable<string>? args = null, string? workingDirectory = null)
    {
        var assembly = BuiltAssembly(projectPath);
        var start = new ProcessStartInfo("dotnet", [assembly, .. args ?? []])
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing from the test run's own environment (an OTLP endpoint, say) leaks in unless given.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, line) => service.Append(line.Data);
        process.ErrorDataReceived += (_, line) => service.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits for the process to end on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
    }

    /// <summary>bin/&lt;configuration&gt;/&lt;framework&gt; of the project, as for this test assembly.</summary>
    private static string BuiltAssembly(string projectPath)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var assembly = Path.Combine(projectDirectory, "bin", testOutput.Parent!.Name, testOutput.Name,
            Path.GetFileNameWithoutExtension(projectPath) + ".dll");
        Assert.True(File.Exists(assembly), $"{assembly} is not built");
        return assembly;
    }
}
