/**
 * Internal: conversion and checking of field values (text, e-mail addresses, typed values). Not API.
 */
@NullMarked
package org.crmkit.internal.value;

import org.jspecify.annotations.NullMarked;
