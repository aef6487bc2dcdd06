using System.Security.Cryptography;

namespace Campaigns.AppHost.Infrastructure;

/// <summary>
/// A generated password in a file only its owner reads: its folder is created 0700 and the file 0600
/// from the start, never readable by others even for a moment, and two AppHosts generating one at
/// once end up with the same.
/// </summary>
internal static class PasswordFile
{
    public static string ReadOrCreate(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        CreatePrivateFolder(folder);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // Written whole under another name, then moved in without replacing one that got there first.
        var draft = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        using (var writer = new StreamWriter(new FileStream(draft, PrivateFile())))
        {
            writer.Write(password);
        }
        try
        {
            File.Move(draft, path, overwrite: false);
            return password;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(draft);
            return File.ReadAllText(path).Trim();
        }
    }

    private static void CreatePrivateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        // Its parent (the data directory) keeps the usual mode: a server run as another user passes through it.
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        Directory.CreateDirectory(folder, ownerOnly);
        // Older AppHosts created it with the usual mode (their files are 0600).
        File.SetUnixFileMode(folder, ownerOnly);
    }

    private static FileStreamOptions PrivateFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }
}
