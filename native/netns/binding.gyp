{
  "targets": [
    {
      "target_name": "shoal_netns",
      "sources": ["netns.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
