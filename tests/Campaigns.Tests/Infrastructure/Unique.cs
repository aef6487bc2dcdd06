namespace Campaigns.Tests.Infrastructure;

/// <summary>Values no other test uses, so tests sharing one database never collide.</summary>
public static class Unique
{
    private static long _counter = Random.Shared.NextInt64(0, 1_000_000);

    /// <summary>A valid Kenyan mobile number in E.164, distinct within and across test runs on one graph.</summary>
    public static string KenyanPhone()
    {
        var n = Interlocked.Increment(ref _counter) % 100_000_000;
        return $"+2547{n:D8}";
    }

    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
