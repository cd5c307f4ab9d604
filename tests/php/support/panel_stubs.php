<?php

/**
 * What a WHMCS-style panel provides to a server module, as recording stubs: logModuleCall()
 * and the `$params['model']` whose serviceProperties->save() keeps what the module saves.
 */

declare(strict_types=1);

namespace {
    if (!function_exists('logModuleCall')) {
        /** @var list<array{module:string,action:string,request:mixed,response:mixed,processed:mixed,replace:array}> */
        $GLOBALS['vpsgate_module_log'] = [];

        /**
         * WHMCS's module log: the panel masks every string of `$replaceVars` in what it stores.
         *
         * @param array<int, string> $replaceVars
         */
        function logModuleCall($module, $action, $requestString, $responseData, $processedData = '', $replaceVars = []): void
        {
            $GLOBALS['vpsgate_module_log'][] = [
                'module' => $module, 'action' => $action, 'request' => $requestString,
                'response' => $responseData, 'processed' => $processedData, 'replace' => $replaceVars,
            ];
        }
    }
}

namespace Vpsgate\Tests {
    /** `$params['model']->serviceProperties`: remembers every save. */
    final class ServiceProperties
    {
        /** @var array<string, string> */
        public array $saved = [];

        /** @param array<string, mixed> $values */
        public function save(array $values): void
        {
            foreach ($values as $k => $v) {
                $this->saved[$k] = (string) $v;
            }
        }
    }

    /** `$params['model']`. */
    final class ServiceModel
    {
        public ServiceProperties $serviceProperties;

        public function __construct()
        {
            $this->serviceProperties = new ServiceProperties();
        }
    }
}
