namespace Campaigns.Tests.Infrastructure;

/// <summary>The clone the tests were built from: for files the suite checks against what runs (docs/openapi.json).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Campaigns.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Campaigns.slnx above {AppContext.BaseDirectory}");
    }
}
