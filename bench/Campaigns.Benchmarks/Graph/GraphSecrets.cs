namespace Campaigns.Benchmarks.Graph;

/// <summary>The secrets the AppHost generated for a graph, kept beside its data (<c>secrets/{parameter}.password</c>).</summary>
public static class GraphSecrets
{
    public static string Read(string dataDirectory, string parameter) =>
        File.ReadAllText(Path.Combine(dataDirectory, "secrets", $"{parameter}.password")).Trim();
}
