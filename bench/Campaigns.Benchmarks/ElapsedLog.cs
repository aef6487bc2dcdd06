using System.Diagnostics;
using System.Text;

namespace Campaigns.Benchmarks;

/// <summary>Progress lines prefixed with the time since the run started, so slow phases show.</summary>
public sealed class ElapsedLog(TextWriter inner) : TextWriter
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public override Encoding Encoding => inner.Encoding;

    public override void WriteLine(string? value) =>
        inner.WriteLine($"[{Stopwatch.GetElapsedTime(_started):mm\\:ss}] {value}");

    public override void Write(char value) => inner.Write(value);

    public override void Flush() => inner.Flush();
}
