global using ZeroPark.Application.Users;
