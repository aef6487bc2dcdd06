using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// Root's clones live under /root, mode 0700, where the local Postgres (run as the <c>postgres</c> user
/// when the AppHost runs as root) cannot enter. A clone there must start like any other, and its
/// private folder stay private.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivateCloneTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task A_clone_under_a_private_folder_starts_with_a_healthy_api()
    {
        var ct = TestContext.Current.CancellationToken;
        var privateFolder = Directory.CreateDirectory(
            Path.Combine(Path.GetTempPath(), $"campaigns-private-{Guid.NewGuid():N}"), OwnerOnly).FullName;
        var clone = Path.Combine(privateFolder, "clone");
        CopyAppHostSources(clone);
        string? serverData = null;
        try
        {
            await using (var graph = await CampaignsGraph.StartInCloneAsync(clone, ct))
            {
                serverData = new FileInfo(Path.Combine(graph.DataDirectory, "postgres")).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                using var api = graph.CreateClient("api");
                using var response = await api.GetAsync("/campaigns", ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal(OwnerOnly, File.GetUnixFileMode(privateFolder));
        }
        finally
        {
            Directory.Delete(privateFolder, recursive: true);
            // As root the server's data lives outside the clone (see scripts/postgres-data.sh).
            if (serverData is not null)
            {
                Directory.Delete(Path.GetDirectoryName(serverData)!, recursive: true);
            }
        }
    }

    /// <summary>What a clone needs to run its AppHost from this build: the AppHost's folder without its build output.</summary>
    private static void CopyAppHostSources(string cloneRoot)
    {
        var source = Projects.Campaigns_AppHost.ProjectPath;
        var target = Path.Combine(cloneRoot, "src", Path.GetFileName(source));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
    }
}
