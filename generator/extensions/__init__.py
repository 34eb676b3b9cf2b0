"""The spec extensions, one module each: `generator.registry` lists them, `contract` says what each is."""
