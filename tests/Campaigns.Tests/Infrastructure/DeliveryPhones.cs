namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// Phone numbers the test graph's mock provider treats specially (see <see cref="CampaignsGraph"/>):
/// every attempt to them fails transiently, or permanently. <see cref="Unique.KenyanPhone"/> never
/// produces one of them.
/// </summary>
public static class DeliveryPhones
{
    public const string ForcedTransientPattern = @"^\+25479990";
    public const string ForcedPermanentPattern = @"^\+25479991";

    private static long _counter = Random.Shared.NextInt64(0, 10_000);

    public static string ForcedTransient() => $"+25479990{Next():D4}";

    public static string ForcedPermanent() => $"+25479991{Next():D4}";

    private static long Next() => Interlocked.Increment(ref _counter) % 10_000;
}
