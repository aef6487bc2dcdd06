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

    /// <summary>A Kenyan number starting with a given prefix (such as a pattern the mock sender forces to fail).</summary>
    public static string PhoneWithPrefix(string prefix) => PhoneWithPrefix(prefix, 13);

    /// <summary>A number of <paramref name="length"/> characters (with the +) starting with a given prefix, such as another country's.</summary>
    public static string PhoneWithPrefix(string prefix, int length)
    {
        var digits = length - prefix.Length;
        var n = Interlocked.Increment(ref _counter) % (long)Math.Pow(10, digits);
        return prefix + n.ToString(new string('0', digits));
    }

    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
