namespace MysqlAgent.Identity;

/// <summary>The hostname is not the name of a StatefulSet pod (<c>&lt;set&gt;-&lt;ordinal&gt;</c>).</summary>
public sealed class PodIdentityException : IdentityException
{
    public PodIdentityException(string? hostname, string message)
        : base(message)
    {
        Hostname = hostname;
    }

    /// <summary>The hostname as it was given, possibly null or empty.</summary>
    public string? Hostname { get; }
}
