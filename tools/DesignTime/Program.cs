// This project only gives `dotnet ef` a startup project (see DesignTime.csproj); running it does nothing.
return;
