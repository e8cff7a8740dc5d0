<?php

declare(strict_types=1);

/*
 * Loads App\ProductPipeline\Webhook\* from ../src for the command-line tools and the tests, which run
 * without Composer. In a Pimcore project, Composer's PSR-4 autoloader (App\ → src/) does this.
 */
spl_autoload_register(static function (string $class): void {
    $prefix = 'App\\ProductPipeline\\Webhook\\';
    if (!str_starts_with($class, $prefix)) {
        return;
    }
    $file = __DIR__ . '/../src/ProductPipeline/Webhook/' . substr($class, \strlen($prefix)) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
