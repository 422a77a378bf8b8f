<?xml version="1.0" encoding="UTF-8"?>
<!-- 审计日志: the console's audit log, newest first, with filters and
     pages; each record's fields before and after (admin/audit_page.c).
     Everything is text from /page/audit, escaped here. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('audit.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts"/>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="au" select="audit"/>
    <xsl:variable name="f" select="$au/filter"/>
    <div class="console" id="audit">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <div class="page-head"><h1><xsl:value-of select="i:t('audit.title')"/></h1></div>
        <section class="panel">
          <form method="get" action="/cc/admin/audit" class="res-search audit-filter" id="audit-filter">
            <label for="a-user"><xsl:value-of select="i:t('audit.user')"/></label>
            <input type="text" id="a-user" name="user" maxlength="64" value="{$f/@user}"/>
            <label for="a-resource"><xsl:value-of select="i:t('audit.resource')"/></label>
            <select id="a-resource" name="resource">
              <option value=""><xsl:value-of select="i:t('audit.all')"/></option>
              <xsl:for-each select="$f/resource">
                <option value="{@name}">
                  <xsl:if test="@name = $f/@resource"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                  <xsl:value-of select="i:t(@key)"/>
                </option>
              </xsl:for-each>
            </select>
            <label for="a-action"><xsl:value-of select="i:t('audit.action')"/></label>
            <select id="a-action" name="action">
              <option value=""><xsl:value-of select="i:t('audit.all')"/></option>
              <xsl:for-each select="$f/action">
                <option value="{@name}">
                  <xsl:if test="@name = $f/@action"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                  <xsl:value-of select="i:t(concat('audit.action.', @name))"/>
                </option>
              </xsl:for-each>
            </select>
            <label for="a-item"><xsl:value-of select="i:t('audit.item')"/></label>
            <input type="text" id="a-item" name="item" maxlength="64" size="8" value="{$f/@item}"/>
            <label for="a-from"><xsl:value-of select="i:t('audit.from')"/></label>
            <input type="date" id="a-from" name="from" value="{$f/@from}"/>
            <label for="a-to"><xsl:value-of select="i:t('audit.to')"/></label>
            <input type="date" id="a-to" name="to" value="{$f/@to}"/>
            <button type="submit" class="btn" id="audit-go"><xsl:value-of select="i:t('audit.filter')"/></button>
            <a class="btn btn-quiet" id="audit-clear" href="/cc/admin/audit"><xsl:value-of select="i:t('res.clear')"/></a>
          </form>
          <xsl:if test="$f/@bad-from or $f/@bad-to">
            <div class="alert alert-error" id="audit-error" role="alert"><xsl:value-of select="i:t('audit.bad_date')"/></div>
          </xsl:if>

          <table class="table" id="audit-list">
            <thead><tr>
              <th><xsl:value-of select="i:t('audit.at')"/></th>
              <th><xsl:value-of select="i:t('audit.user')"/></th>
              <th><xsl:value-of select="i:t('audit.resource')"/></th>
              <th><xsl:value-of select="i:t('audit.item')"/></th>
              <th><xsl:value-of select="i:t('audit.action')"/></th>
              <th><xsl:value-of select="i:t('audit.changes')"/></th>
            </tr></thead>
            <tbody>
              <xsl:for-each select="$au/entries/entry">
                <tr data-id="{@id}" data-resource="{@resource}" data-item="{@item}" data-action="{@action}">
                  <td class="nowrap"><xsl:value-of select="@at"/></td>
                  <td><span class="audit-user"><xsl:value-of select="@username"/></span>
                    <div class="muted"><xsl:value-of select="@addr"/></div></td>
                  <td><xsl:choose>
                    <xsl:when test="@resource-key"><xsl:value-of select="i:t(@resource-key)"/></xsl:when>
                    <xsl:otherwise><xsl:value-of select="@resource"/></xsl:otherwise>
                  </xsl:choose></td>
                  <td><xsl:choose>
                    <xsl:when test="@href"><a href="{@href}"><xsl:value-of select="@item"/></a></xsl:when>
                    <xsl:otherwise><xsl:value-of select="@item"/></xsl:otherwise>
                  </xsl:choose></td>
                  <td><xsl:choose>
                    <xsl:when test="@action = 'create' or @action = 'update' or @action = 'delete'">
                      <xsl:value-of select="i:t(concat('audit.action.', @action))"/></xsl:when>
                    <xsl:otherwise><xsl:value-of select="@action"/></xsl:otherwise>
                  </xsl:choose></td>
                  <td>
                    <table class="audit-diff">
                      <thead><tr>
                        <th><xsl:value-of select="i:t('audit.field')"/></th>
                        <th><xsl:value-of select="i:t('audit.before')"/></th>
                        <th><xsl:value-of select="i:t('audit.after')"/></th>
                      </tr></thead>
                      <tbody>
                        <xsl:for-each select="change">
                          <tr data-field="{@field}">
                            <td class="audit-field"><xsl:choose>
                              <xsl:when test="@label"><xsl:value-of select="i:t(@label)"/></xsl:when>
                              <xsl:otherwise><xsl:value-of select="@field"/></xsl:otherwise>
                            </xsl:choose></td>
                            <td class="audit-before"><xsl:apply-templates select="before"/></td>
                            <td class="audit-after"><xsl:apply-templates select="after"/></td>
                          </tr>
                        </xsl:for-each>
                      </tbody>
                    </table>
                  </td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not($au/entries/entry)">
                <tr class="empty"><td colspan="6"><xsl:value-of select="i:t('audit.empty')"/></td></tr>
              </xsl:if>
            </tbody>
          </table>

          <nav class="pager" id="audit-pages" aria-label="{i:t('res.pages')}" data-total="{$au/entries/@total}"
               data-page="{$au/entries/@page}" data-pages="{$au/entries/@pages}">
            <span class="pager-info">
              <xsl:call-template name="fill">
                <xsl:with-param name="text" select="i:t('res.total')"/>
                <xsl:with-param name="value" select="$au/entries/@total"/>
              </xsl:call-template>
            </span>
            <xsl:if test="$au/pager/@prev">
              <a class="btn btn-quiet btn-sm" id="audit-prev" rel="prev" href="{$au/pager/@prev}"><xsl:value-of select="i:t('res.prev')"/></a>
            </xsl:if>
            <span class="pager-page current"><xsl:value-of select="$au/entries/@page"/> / <xsl:value-of select="$au/entries/@pages"/></span>
            <xsl:if test="$au/pager/@next">
              <a class="btn btn-quiet btn-sm" id="audit-next" rel="next" href="{$au/pager/@next}"><xsl:value-of select="i:t('res.next')"/></a>
            </xsl:if>
          </nav>
        </section>
      </div>
    </div>
  </xsl:template>

  <xsl:template match="before | after">
    <xsl:choose>
      <xsl:when test="@kind = 'null'"><span class="muted">—</span></xsl:when>
      <xsl:when test="@kind = 'bool' and . = '1'"><xsl:value-of select="i:t('res.yes')"/></xsl:when>
      <xsl:when test="@kind = 'bool'"><xsl:value-of select="i:t('res.no')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
