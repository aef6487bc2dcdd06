namespace Campaigns.Core.Queue;

/// <summary>
/// Queue stamps travel as whole microseconds since the Unix epoch: Postgres keeps <c>timestamptz</c> to the
/// microsecond, so a stamp read from a row, carried in a job and compared with the row again is exact.
/// </summary>
public static class QueueStamp
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static long ToMicroseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    public static bool TryFromMicroseconds(long micros, out DateTime utc)
    {
        var ticks = DateTime.UnixEpoch.Ticks + micros * TicksPerMicrosecond;
        if (micros < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            utc = default;
            return false;
        }
        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }
}
